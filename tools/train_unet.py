#!/usr/bin/env python3
"""Train notebook 3.3's U-Net, and the same network with its skip connections cut, and ship both.

    python tools/train_unet.py                      # writes data/unet/
    python tools/train_unet.py --epochs 2 --out /tmp/try
    python tools/train_unet.py --seeds 0 1 2        # also measures the spread over training seeds

The network is :func:`course_utils.unet.unet_model` (the course's U-Net with ``--n-filters`` filters
in its first block); the cut version is :func:`course_utils.unet.unet_from_blocks` with
``skips=False`` (same layers and parameters, zeros instead of the skip connections). Both train on
the seeded synthetic driving scenes of the "train" split with their class masks
(:func:`course_utils.synthetic.driving.make_segmentation_split`), with Adam, pixel-wise
cross-entropy, random left-right flips and the learning rate divided by 10 for the last quarter of
the epochs, and are measured on the 300 "test" scenes: mean IoU over the classes, IoU per class, pixel
accuracy and boundary accuracy (:func:`course_utils.unet.boundary_accuracy`).

The first seed's weights are written (``unet.weights.h5``, ``unet_without_skips.weights.h5``); every
seed's results, the settings, the training times and a SHA-256 of the test masks go to
``training.json``. On CPU, multi-threaded float sums can make a re-run differ in the last digits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from course_utils import paths  # noqa: E402


def masks_digest(masks) -> str:
    """SHA-256 of a stack of masks, to tie the recorded results to the scenes they were measured on."""
    return hashlib.sha256(masks.tobytes()).hexdigest()


def evaluate(model, images, masks, n_classes):
    """Mean IoU, IoU per class, pixel accuracy and boundary accuracy of a model on scenes."""
    import numpy as np

    from course_utils import unet

    predicted = unet.predict_masks(model, images)
    mean, per_class = unet.mean_iou(masks, predicted, n_classes)
    return {"mean_iou": round(mean, 4), "iou_per_class": [round(float(v), 4) for v in per_class],
            "pixel_accuracy": round(float(np.mean(predicted == masks)), 4),
            "boundary_accuracy": round(unet.boundary_accuracy(masks, predicted), 4)}


def save_weights(model, skips, args, n_classes, path):
    """Save the weights alone: a trained model's file would also hold the optimizer's two moments (3x the size)."""
    from course_utils import unet

    clean = unet.unet_from_blocks((args.size, args.size, 3), args.n_filters, n_classes, skips=skips)
    clean.set_weights(model.get_weights())
    clean.save_weights(path)


def train_one(skips, seed, args, train, test, classes, log):
    import keras
    import numpy as np

    from course_utils import unet

    keras.utils.set_random_seed(seed)
    model = unet.unet_from_blocks((args.size, args.size, 3), args.n_filters, len(classes), skips=skips)
    steps = int(np.ceil(len(train[0]) / args.batch_size))
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
        [int(0.75 * args.epochs) * steps], [args.learning_rate, args.learning_rate / 10])
    started = time.perf_counter()
    history = unet.train_unet(model, *train, epochs=args.epochs, batch_size=args.batch_size,
                              learning_rate=schedule, seed=seed, verbose=2 if args.verbose else 0)
    seconds = time.perf_counter() - started
    result = {"seed": seed, "training_seconds": round(seconds),
              "loss_per_epoch": [round(v, 4) for v in history.history["loss"]], **evaluate(model, *test, len(classes))}
    log(f"{'with' if skips else 'without'} skips, seed {seed}: test mean IoU {result['mean_iou']:.4f}, "
        f"boundary accuracy {result['boundary_accuracy']:.4f}, {seconds:.0f} s")
    return model, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--n-filters", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--train-scenes", type=int, default=4000)
    parser.add_argument("--test-scenes", type=int, default=None, help="default: the whole test split")
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--only-skips", action="store_true", help="do not train the network without skips")
    parser.add_argument("--verbose", action="store_true", help="one line per epoch")
    parser.add_argument("--out", type=Path, default=paths.UNET_WEIGHTS.parent)
    args = parser.parse_args(argv)

    import numpy as np

    from course_utils.synthetic import driving

    def log(message):
        print(message, flush=True)

    classes = list(driving.SEGMENTATION_CLASSES)
    train = driving.make_segmentation_split("train", args.train_scenes, args.size)
    test = driving.make_segmentation_split("test", args.test_scenes, args.size)
    args.out.mkdir(parents=True, exist_ok=True)
    results = {"with_skips": [], "without_skips": []}
    for skips in (True, False) if not args.only_skips else (True,):
        key = "with_skips" if skips else "without_skips"
        for seed in args.seeds:
            model, result = train_one(skips, seed, args, train, test, classes, log)
            results[key].append(result)
            if seed == args.seeds[0]:
                save_weights(model, skips, args, len(classes),
                             args.out / (paths.UNET_WEIGHTS if skips else paths.UNET_NO_SKIPS_WEIGHTS).name)

    def spread(key, metric):
        values = [r[metric] for r in results[key]]
        return {"mean": round(float(np.mean(values)), 4), "min": min(values), "max": max(values)} if values else None

    record = {
        "model": "course_utils.unet.unet_model(input_size, n_filters, n_classes)",
        "input_size": [args.size, args.size, 3], "n_filters": args.n_filters, "n_classes": len(classes),
        "classes": classes, "parameters": int(model.count_params()),
        "train_scenes": args.train_scenes, "test_scenes": len(test[0]), "epochs": args.epochs,
        "batch_size": args.batch_size, "learning_rate": args.learning_rate,
        "schedule": "learning rate / 10 for the last quarter of the epochs", "flips": True,
        "seeds": args.seeds, "shipped_seed": args.seeds[0], "test_masks_sha256": masks_digest(test[1]),
        "with_skips": results["with_skips"], "without_skips": results["without_skips"],
        "summary": {key: {metric: spread(key, metric) for metric in ("mean_iou", "boundary_accuracy")}
                    for key in results if results[key]},
        "command": " ".join(["python tools/train_unet.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    (args.out / paths.UNET_RECORD.name).write_text(json.dumps(record, indent=1) + "\n")
    log(json.dumps(record["summary"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
