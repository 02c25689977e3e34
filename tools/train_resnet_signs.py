#!/usr/bin/env python3
"""Train the small residual network of notebook 2.6 on SIGNS and ship its weights.

    python tools/train_resnet_signs.py            # writes data/resnet/
    python tools/train_resnet_signs.py --epochs 5 --out /tmp/try

The network is :func:`course_utils.resnet.small_resnet` (built from ``convolutional_block``
and ``identity_block``); training is seeded, with Adam, mild augmentation (random shifts and
zoom, no flips needed) and the learning rate divided by 10 for the last quarter of the epochs.
Writes ``small_resnet_signs.weights.h5`` and ``small_resnet_signs.json`` (the test accuracy,
the epochs, a SHA-256 of the SIGNS arrays it used and the training time) next to each other.
Training is seeded; on CPU, multi-threaded float sums can still make a re-run differ in the last digits.
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

WEIGHTS = paths.SIGNS_RESNET_WEIGHTS.name
METADATA = paths.SIGNS_RESNET_METADATA.name


def signs_digest() -> str:
    """SHA-256 of the SIGNS arrays (train and test images and labels), to tie the weights to the data."""
    from course_utils.datasets import load_signs

    digest = hashlib.sha256()
    for array in load_signs()[:4]:
        digest.update(array.tobytes())
    return digest.hexdigest()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=paths.SIGNS_RESNET_WEIGHTS.parent)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from course_utils import resnet
    from course_utils.datasets import convert_to_one_hot, load_signs

    keras.utils.set_random_seed(args.seed)
    X_train, Y_train, X_test, Y_test, classes = load_signs()
    X_train, X_test = X_train / 255.0, X_test / 255.0
    Y_train, Y_test = convert_to_one_hot(Y_train, len(classes)), convert_to_one_hot(Y_test, len(classes))

    augment = keras.Sequential([keras.layers.RandomTranslation(0.08, 0.08, fill_mode="nearest", seed=args.seed),
                                keras.layers.RandomZoom(0.08, fill_mode="nearest", seed=args.seed)])
    model = resnet.small_resnet(X_train.shape[1:], len(classes))
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
        [int(0.75 * args.epochs) * int(np.ceil(len(X_train) / args.batch_size))],
        [args.learning_rate, args.learning_rate / 10])
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="categorical_crossentropy", metrics=["accuracy"])
    inputs = keras.Input(X_train.shape[1:])
    trainer = keras.Model(inputs, model(augment(inputs, training=True)))
    trainer.compile(optimizer=model.optimizer, loss="categorical_crossentropy", metrics=["accuracy"])

    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        history = trainer.fit(X_train, Y_train, epochs=1, batch_size=args.batch_size, verbose=0, shuffle=True)
        if epoch % 5 == 0 or epoch == args.epochs:
            _, test_accuracy = model.evaluate(X_test, Y_test, verbose=0)
            print(f"epoch {epoch:>3}: train loss {history.history['loss'][-1]:.4f}, "
                  f"train acc {history.history['accuracy'][-1]:.4f}, test acc {test_accuracy:.4f}, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    _, train_accuracy = model.evaluate(X_train, Y_train, verbose=0)
    _, test_accuracy = model.evaluate(X_test, Y_test, verbose=0)

    args.out.mkdir(parents=True, exist_ok=True)
    model.save_weights(args.out / WEIGHTS)
    metadata = {"model": "course_utils.resnet.small_resnet()", "parameters": model.count_params(),
                "epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.learning_rate,
                "seed": args.seed, "train_accuracy": round(float(train_accuracy), 4),
                "test_accuracy": round(float(test_accuracy), 4), "training_seconds": round(seconds),
                "signs_sha256": signs_digest(),
                "command": " ".join(["python tools/train_resnet_signs.py", *(argv or sys.argv[1:])])}
    (args.out / METADATA).write_text(json.dumps(metadata, indent=1) + "\n")
    print(json.dumps(metadata))
    return 0


if __name__ == "__main__":
    sys.exit(main())
