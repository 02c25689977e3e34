#!/usr/bin/env python3
"""Train notebook 2.7's MobileNetV2 base on the project's 43-class source task and ship its weights.

    python tools/train_mobilenet_base.py                     # writes data/mobilenet/
    python tools/train_mobilenet_base.py --n-train 4200 --epochs 2 --out /tmp/try

``keras.applications.MobileNetV2(alpha=0.35, include_top=False, weights=None)`` at 96x96, with a
global-pooling, dropout and 43-way softmax head, is trained from a random start on pictures of
:mod:`course_utils.synthetic.objects` (shapes, objects, textures, hands, faces, road scenes; no
animals), with random left-right flips, Adam and a cosine-decaying learning rate; BatchNormalization momentum
0.99 (Keras's 0.999 lags for thousands of steps), and at the end the moving statistics are set from
512 training pictures in one pass. The pictures are generated once from their seeds and cached
(``--cache-dir``).

Writes into ``--out``: the base's weights (``mobilenet_v2_0.35_base.weights.h5``, what
:func:`course_utils.transfer.load_mobilenet_base` loads), the source head
(``source_head.npz``) and ``mobilenet_base.json``: the settings, the accuracy per epoch, the final
training and held-out accuracies, the accuracy on the first ``--check-images`` held-out pictures
(what ``tests/test_mobilenet_base.py`` re-measures), the training time and the command.
Training is seeded; on CPU, multi-threaded float sums can still make a re-run differ slightly.
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

#: Seeds of the source pictures: training and held-out pictures never share a seed.
TRAIN_SEED, HELD_OUT_SEED = 1, 2


def source_pictures(n, seed, cache_dir=None):
    """The first ``n`` pictures of the source task for ``seed``, from the cache when it has them."""
    import numpy as np

    from course_utils.synthetic import objects

    cache = None if cache_dir is None else Path(cache_dir) / f"objects_{seed}_{n}_{objects.SIZE}.npz"
    if cache is not None and cache.is_file():
        with np.load(cache) as stored:
            return stored["X"], stored["y"]
    X, y = objects.make_dataset(n, seed=seed)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, X=X, y=y)
    return X, y


def evaluate(model, X, y, batch_size=256):
    """Accuracy of a softmax classifier on ``(X, y)``."""
    import numpy as np

    return float(np.mean(model.predict(X, batch_size=batch_size, verbose=0).argmax(axis=1) == y))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=25800, help="training pictures (600 per class)")
    parser.add_argument("--n-held-out", type=int, default=2150, help="held-out pictures (50 per class)")
    parser.add_argument("--check-images", type=int, default=430, help="held-out pictures the test re-measures")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "course_utils")
    parser.add_argument("--out", type=Path, default=paths.MOBILENET_DIR)
    args = parser.parse_args(argv)

    import keras
    import numpy as np
    import tensorflow as tf

    from course_utils import transfer
    from course_utils.experiments.deep_stacks import recompute_batch_norm_statistics
    from course_utils.synthetic import objects

    started = time.perf_counter()
    X_train, y_train = source_pictures(args.n_train, TRAIN_SEED, args.cache_dir)
    X_held, y_held = source_pictures(args.n_held_out, HELD_OUT_SEED, args.cache_dir)
    generation_seconds = time.perf_counter() - started
    print(f"{len(X_train)} training and {len(X_held)} held-out pictures of {len(objects.CLASS_NAMES)} classes "
          f"({generation_seconds:.0f} s)", flush=True)

    keras.utils.set_random_seed(args.seed)
    base = transfer.load_mobilenet_base(weights=None)
    # Keras's 0.999 would leave the moving averages behind the weights for thousands of steps.
    transfer.set_batch_norm_momentum(base, 0.99)
    model = transfer.source_classifier(base, len(objects.CLASS_NAMES))
    steps = int(np.ceil(len(X_train) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(args.learning_rate, decay_steps=args.epochs * steps, alpha=0.02)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    def augment(images, labels):
        coin = tf.random.uniform([tf.shape(images)[0], 1, 1, 1], seed=args.seed)
        return tf.where(coin < 0.5, images[:, :, ::-1], images), labels

    data = (tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(len(X_train), seed=args.seed)
            .batch(args.batch_size).map(lambda x, y: augment(tf.cast(x, tf.float32), y)).prefetch(2))

    training_started = time.perf_counter()
    record_epochs = []
    for epoch in range(1, args.epochs + 1):
        history = model.fit(data, epochs=1, verbose=0, shuffle=False).history  # the dataset shuffles itself
        held_out = evaluate(model, X_held, y_held)
        record_epochs.append({"epoch": epoch, "loss": round(history["loss"][-1], 4),
                              "train_accuracy_augmented": round(history["accuracy"][-1], 4),
                              "held_out_accuracy_moving_averages": round(held_out, 4),
                              "seconds": round(time.perf_counter() - training_started)})
        print(f"epoch {epoch:>2}: loss {history['loss'][-1]:.4f}, train acc {history['accuracy'][-1]:.4f}, "
              f"held-out acc {held_out:.4f}, {time.perf_counter() - training_started:.0f} s", flush=True)
    # Precise statistics for inference: the moving averages, set from 512 training pictures in one pass.
    recompute_batch_norm_statistics(model, X_train[:512])
    training_seconds = time.perf_counter() - training_started

    args.out.mkdir(parents=True, exist_ok=True)
    base_file = args.out / paths.MOBILENET_BASE_WEIGHTS.name
    base.save_weights(base_file)
    kernel, bias = model.get_layer("source_head").get_weights()
    np.savez(args.out / paths.MOBILENET_HEAD_WEIGHTS.name, kernel=kernel, bias=bias)

    # Re-measure through the shipped files, exactly as the test and the notebook will load them.
    reloaded = transfer.load_source_classifier(args.out)
    check = min(args.check_images, len(X_held))
    record = {
        "model": f"keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha={transfer.ALPHA}, "
                 "include_top=False, weights=None)",
        "base_parameters": base.count_params(), "base_layers": len(base.layers),
        "source_task": "course_utils.synthetic.objects", "classes": list(objects.CLASS_NAMES),
        "train_pictures": len(X_train), "train_seed": TRAIN_SEED,
        "held_out_pictures": len(X_held), "held_out_seed": HELD_OUT_SEED,
        "epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.learning_rate,
        "schedule": "cosine decay to 2 % over all steps", "augmentation": "random left-right flips",
        "batch_norm_momentum": 0.99, "batch_norm_statistics": "recomputed at the end from 512 training pictures",
        "seed": args.seed,
        "train_accuracy": round(evaluate(reloaded, X_train[:len(X_held)], y_train[:len(X_held)]), 4),
        "held_out_accuracy": round(evaluate(reloaded, X_held, y_held), 4),
        "check_images": check, "check_accuracy": round(evaluate(reloaded, X_held[:check], y_held[:check]), 4),
        "per_epoch": record_epochs,
        "generation_seconds": round(generation_seconds), "training_seconds": round(training_seconds),
        "machine": f"{os.cpu_count()} CPU cores, no GPU",
        "base_weights_sha256": hashlib.sha256(base_file.read_bytes()).hexdigest(),
        "command": " ".join(["python tools/train_mobilenet_base.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    (args.out / paths.MOBILENET_RECORD.name).write_text(json.dumps(record, indent=1) + "\n")
    print(json.dumps({key: value for key, value in record.items() if key not in ("classes", "per_epoch")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
