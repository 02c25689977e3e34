#!/usr/bin/env python3
"""Measure notebook 2.7's experiment over several seeds: scratch, frozen, fine-tuned, with and without augmentation.

    python tools/measure_transfer.py                          # writes data/mobilenet/transfer_grid.json
    python tools/measure_transfer.py --seeds 0 --epochs 1 1 --out /tmp/grid.json

The alpaca pictures (:mod:`course_utils.synthetic.animals`) are written as a folder of PNG files
and read back with ``keras.utils.image_dataset_from_directory`` exactly as the notebook does (80 %
training, 20 % validation), plus a separate test folder drawn from other seeds. Every
configuration of :data:`course_utils.transfer.CONFIGURATIONS` is trained from a fresh start for
each seed by :func:`course_utils.transfer.train_configuration`, and its test accuracy recorded; so
are the two scratch configurations trained ``--long-scratch`` times longer (is training from
scratch only short of epochs?).

The notebook cannot train 3 seeds x 9 configurations inside its 5-minute budget on two CPU cores,
so it displays this file (and trains one seed of the main configurations itself).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_utils import paths  # noqa: E402


def summarise(runs, configurations):
    """Mean, standard deviation (ddof=1), minimum and maximum test accuracy of each configuration."""
    import numpy as np

    summary = {}
    for configuration in configurations:
        values = np.array([run["test_accuracy"] for run in runs if run["configuration"] == configuration])
        if len(values):
            summary[configuration] = {"mean": round(float(values.mean()), 4),
                                      "std": round(float(values.std(ddof=1)) if len(values) > 1 else 0.0, 4),
                                      "min": float(values.min()), "max": float(values.max()), "runs": len(values)}
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, nargs=2, default=[5, 5], metavar=("FROZEN", "FINE_TUNED"),
                        help="epochs before and after the unfreezing (scratch and frozen train for their sum)")
    parser.add_argument("--n-images", type=int, default=600, help="pictures in the training folder (80/20 split)")
    parser.add_argument("--n-test", type=int, default=400, help="pictures in the test folder")
    parser.add_argument("--base-learning-rate", type=float, default=0.001)
    parser.add_argument("--fine-tune-at", type=int, default=120)
    parser.add_argument("--configurations", nargs="+", default=None,
                        help="default: all of course_utils.transfer.CONFIGURATIONS")
    parser.add_argument("--long-scratch", type=int, default=4, metavar="FACTOR",
                        help="also train both scratch configurations FACTOR times longer (0: no)")
    parser.add_argument("--out", type=Path, default=paths.TRANSFER_GRID)
    args = parser.parse_args(argv)

    from course_utils import transfer
    from course_utils.synthetic import animals

    configurations = args.configurations or list(transfer.CONFIGURATIONS)
    started = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        train_dir = animals.write_image_folder(Path(folder) / "train", args.n_images, seed=transfer.TRAIN_FOLDER_SEED)
        test_dir = animals.write_image_folder(Path(folder) / "test", args.n_test, seed=transfer.TEST_FOLDER_SEED)
        train, validation = transfer.alpaca_datasets(train_dir)
        test, _ = transfer.alpaca_datasets(test_dir, validation_split=None)
        jobs = [(configuration, 1) for configuration in configurations]
        if args.long_scratch > 1:  # is training from scratch only short of epochs?
            jobs += [(configuration, args.long_scratch) for configuration in ("scratch", "scratch + augmentation")]
        for seed in args.seeds:
            for configuration, factor in jobs:
                run = transfer.train_configuration(configuration, train, validation, test, seed=seed,
                                                   epochs=tuple(factor * e for e in args.epochs),
                                                   base_learning_rate=args.base_learning_rate,
                                                   fine_tune_at=args.fine_tune_at)
                if factor > 1:
                    run["configuration"] = f"{configuration}, {factor}x epochs"
                runs.append(run)
                print(f"seed {seed}  {run['configuration']:<28} test {run['test_accuracy']:.3f}  "
                      f"validation {run['validation_accuracy']:.3f}  {run['seconds']:.0f} s", flush=True)
    record = {
        "what": "test accuracy of notebook 2.7's six configurations, one fresh training per seed",
        "data": {"generator": "course_utils.synthetic.animals", "training_folder_pictures": args.n_images,
                 "training_folder_seed": transfer.TRAIN_FOLDER_SEED, "validation_split": 0.2,
                 "test_pictures": args.n_test, "test_folder_seed": transfer.TEST_FOLDER_SEED,
                 "image_size": list(transfer.IMG_SIZE)},
        "training": {"epochs": args.epochs, "batch_size": 32, "base_learning_rate": args.base_learning_rate,
                     "fine_tune_at": args.fine_tune_at, "fine_tune_learning_rate": 0.1 * args.base_learning_rate,
                     "scratch_learning_rate": 0.001},
        "seeds": args.seeds,
        "summary": summarise(runs, list(dict.fromkeys(run["configuration"] for run in runs))),
        "runs": runs,
        "seconds": round(time.perf_counter() - started),
        "machine": f"{os.cpu_count()} CPU cores, no GPU",
        "command": " ".join(["python tools/measure_transfer.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    for configuration, row in record["summary"].items():
        print(f"{configuration:<28} {row['mean']:.3f} +- {row['std']:.3f}  ({row['min']:.3f}..{row['max']:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
