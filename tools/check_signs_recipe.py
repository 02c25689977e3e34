#!/usr/bin/env python3
"""Train the course's SIGNS ConvNet with the course's recipe on the bundled data, and report.

    python tools/check_signs_recipe.py                          # seeds 0, 1, 2; writes data/signs_recipe.json
    python tools/check_signs_recipe.py --real-test ~/course/datasets --out /tmp/real.json

The model is the course's, with Keras's default initialisation: Conv2D(8, 4x4, same) -> ReLU ->
MaxPool(8x8, stride 8, same) -> Conv2D(16, 2x2, same) -> ReLU -> MaxPool(4x4, stride 4, same) ->
Flatten -> Dense(6, softmax). The recipe is the course's: pixels scaled to [0, 1], Adam at
0.009, 100 epochs, batches of 64, no augmentation. The script reports, for each seed, the
accuracy on the bundled test set and per class.

The bundled SIGNS images stand in for the course's photos; whether they teach what the photos
show is measured by training here and testing on the course's own test photos. This project cannot
ship those, so ``--real-test FOLDER`` (a folder holding the course's ``train_signs.h5`` and
``test_signs.h5``) adds that measurement for anyone who has them: the network is still trained on
the bundled training set only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))  # train_resnet_signs, also when imported

from course_utils import paths  # noqa: E402

RESULTS = paths.DATA_DIR / "signs_recipe.json"


def course_convnet():
    """The course's hand-sign ConvNet (Keras's default Glorot initialisation), 1,310 parameters, not compiled."""
    from course_utils import models

    return models.convolutional_model((64, 64, 3), kernel_initializer="glorot_uniform")


def per_class_accuracy(labels, predicted, n_classes: int = 6) -> list[float]:
    """Fraction of each class's images predicted right; ``labels`` and ``predicted`` of shape ``(m,)``."""
    labels, predicted = labels.ravel(), predicted.ravel()
    return [round(float((predicted[labels == c] == c).mean()), 4) for c in range(n_classes)]


def train_course_recipe(X_train, y_train, seed: int, epochs: int = 100, learning_rate: float = 0.009,
                        batch_size: int = 64):
    """Train :func:`course_convnet` on uint8 images ``(m, 64, 64, 3)`` and int labels ``(m,)``; return the model."""
    import keras

    keras.utils.set_random_seed(seed)
    model = course_convnet()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(X_train.astype("float32") / 255, y_train.ravel(), epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def evaluate(model, X, y) -> dict:
    """Accuracy and per-class accuracy of ``model`` on uint8 images ``(m, 64, 64, 3)``, labels ``(m,)``."""
    predicted = model.predict(X.astype("float32") / 255, verbose=0).argmax(axis=1)
    return {"accuracy": round(float((predicted == y.ravel()).mean()), 4),
            "per_class": per_class_accuracy(y, predicted)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--real-test", type=Path, default=None,
                        help="folder holding the course's train_signs.h5 and test_signs.h5")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results (json)")
    args = parser.parse_args(argv)

    from course_utils.datasets import load_signs

    X_train, Y_train, X_test, Y_test, _ = load_signs()
    real = load_signs(path=args.real_test)[2:4] if args.real_test is not None else None
    runs = []
    for seed in args.seeds:
        started = time.perf_counter()
        model = train_course_recipe(X_train, Y_train, seed, args.epochs)
        run = {"seed": seed, "train": evaluate(model, X_train, Y_train)["accuracy"],
               "test": evaluate(model, X_test, Y_test)}
        if real is not None:
            run["real_test"] = evaluate(model, *real)
        run["seconds"] = round(time.perf_counter() - started, 1)
        runs.append(run)
        print(json.dumps(run), flush=True)
    tests = [run["test"]["accuracy"] for run in runs]
    from train_resnet_signs import signs_digest  # the same fingerprint of the bundled data

    summary = {"recipe": f"course ConvNet, Adam 0.009, {args.epochs} epochs, batch 64, no augmentation",
               "runs": runs, "test_min": min(tests), "test_mean": round(sum(tests) / len(tests), 4),
               "signs_sha256": signs_digest(),
               "command": " ".join(["python tools/check_signs_recipe.py", *(argv if argv is not None
                                                                            else sys.argv[1:])])}
    if real is not None:
        reals = [run["real_test"]["accuracy"] for run in runs]
        summary["real_test_min"], summary["real_test_mean"] = min(reals), round(sum(reals) / len(reals), 4)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=1) + "\n")
    print(f"bundled test accuracy: min {summary['test_min']}, mean {summary['test_mean']}"
          + (f"; course test photos: min {summary['real_test_min']}, mean {summary['real_test_mean']}"
             if real is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
