"""Loads a MedAction export folder with Hugging Face `datasets`, as a trainer would, and prints what it
found as one JSON object: each split's row count and columns, the first row of each split, and the
row counts the dataset card states as `datasets` reads them (`stated`).

    python scripts/load-export.py <export-dir>

Runs offline (HF_*_OFFLINE): the folder and its dataset card are all it reads."""
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from datasets import load_dataset, load_dataset_builder  # noqa: E402

stated = {name: info.num_examples for name, info in (load_dataset_builder(sys.argv[1]).info.splits or {}).items()}
loaded = load_dataset(sys.argv[1])
print(json.dumps({
    "splits": {
        name: {"rows": split.num_rows, "columns": split.column_names, "first": split[0] if split.num_rows else None}
        for name, split in loaded.items()
    },
    "stated": stated,
}, default=str))
