#!/usr/bin/env python3
"""Train the face encoder shipped in data/face/ (sections 4.1 to 4.3).

The shipped weights came from two runs (about 22 + 10 minutes on 2 busy CPU cores):

    nice -n 10 python tools/train_face_encoder.py --out /tmp/first.weights.h5
    nice -n 10 python tools/train_face_encoder.py --init /tmp/first.weights.h5 --steps 1000 \
        --learning-rate 5e-4 --seed 1

    python tools/train_face_encoder.py --steps 200 --out /tmp/try.weights.h5   # a quick try

The training photos are cached in face_train_<people>x<photos>.npz in ``--cache-dir`` (default:
the system's temporary folder), since generating them takes minutes.

Training people: synthetic identities 0 .. n-1 of the "train" split, ``--photos`` photos each.
Validation people (choose the threshold, keep the best weights): "test"-split identities
0 .. 99. Test people (the reported metrics): "test"-split identities 100 .. 299. Neither
group is ever seen in training. Everything is seeded; the weights and the metrics file
(``encoder_metrics.json``) are written next to each other.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from course_utils import face, paths  # noqa: E402
from course_utils.synthetic import identities  # noqa: E402

VALIDATION = {"n_identities": 100, "photos_per_identity": 4, "split": "test", "first_identity": 0}
TEST = {"n_identities": 200, "photos_per_identity": 4, "split": "test", "first_identity": 100}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--identities", type=int, default=400)
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--alpha", type=float, default=0.2)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--mining", choices=["batch_all", "batch_hard"], default="batch_all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=paths.FACE_ENCODER_WEIGHTS)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()),
                        help="where the generated training photos are cached")
    parser.add_argument("--init", type=Path, default=None,
                        help="continue from these weights (the shipped encoder: a first run, then --init with it)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    cache = args.cache_dir / f"face_train_{args.identities}x{args.photos}.npz"
    if cache.exists():
        with np.load(cache) as saved:
            images, labels = saved["images"], saved["labels"]
    else:
        images, labels = identities.face_dataset(args.identities, args.photos, "train")
        np.savez(cache, images=images, labels=labels)
    val_images, val_labels = identities.face_dataset(**VALIDATION)
    print(f"generated {len(images)} training and {len(val_images)} validation photos "
          f"in {time.perf_counter() - started:.0f} s", flush=True)
    best = {"auc": -1.0}
    best_path = args.out.with_name("best_so_far." + args.out.name)

    def keep_best(step, model):
        metrics = face.evaluate(face.encode(val_images, model), val_labels)
        print(f"    validation: AUC {metrics['auc']:.4f}  accuracy {metrics['accuracy']:.4f}  "
              f"one-shot(10) {metrics['one_shot_10']:.3f}", flush=True)
        if metrics["auc"] > best["auc"]:
            best.update(metrics, step=step)
            model.save_weights(best_path)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    model = face.face_encoder()
    if args.init is not None:
        model.load_weights(args.init)
    model, _ = face.train_encoder(images, labels, model, steps=args.steps, alpha=args.alpha,
                                  learning_rate=args.learning_rate, mining=args.mining, seed=args.seed,
                                  log_every=100, callback=keep_best)
    model.load_weights(best_path)
    best_path.unlink()
    test_images, test_labels = identities.face_dataset(**TEST)
    test = face.evaluate(face.encode(test_images, model), test_labels, threshold=best["threshold"])
    pixels = face.evaluate(face.pixel_encodings(test_images), test_labels,
                           threshold=face.evaluate(face.pixel_encodings(val_images), val_labels)["threshold"])
    metrics = {
        "architecture": {},
        "training": {"identities": args.identities, "photos_per_identity": args.photos, "steps": args.steps,
                     "batch": f"16 people x 4 photos, {args.mining} mining", "alpha": args.alpha,
                     "learning_rate": args.learning_rate, "seed": args.seed,
                     "continued_from": None if args.init is None else args.init.name,
                     "best_step": best["step"], "minutes": round((time.perf_counter() - started) / 60, 1)},
        "validation": {"people": VALIDATION, **{k: best[k] for k in ("auc", "threshold", "accuracy", "one_shot_10")}},
        "test": {"people": TEST, **test},
        "test_raw_pixels": pixels,
        "threshold": best["threshold"],
    }
    face.save_encoder(model, args.out, metrics)
    print("test:", {k: round(v, 4) for k, v in test.items()})
    print("raw pixels:", {k: round(v, 4) for k, v in pixels.items()})
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
