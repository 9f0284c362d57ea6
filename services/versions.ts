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
