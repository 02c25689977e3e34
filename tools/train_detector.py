#!/usr/bin/env python3
"""Train the small YOLOv2-style detector of section 3.2 and write data/yolo/.

    python tools/train_detector.py        # the shipped weights (24 epochs, about 28 minutes on 2 shared CPU cores)
    python tools/train_detector.py --epochs 2 --n-train 256 --out /tmp/yolo   # a quick smoke run

Writes detector.weights.h5, anchors.txt, classes.txt and training.json (settings, loss per
epoch, validation and test mAP@0.5). Everything is seeded: the scenes are identical on every
machine; TensorFlow on CPU is not bit-reproducible across machines, so a retrained model
reaches the same mAP to within a few hundredths rather than identical weights.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

from course_utils import paths  # noqa: E402
from course_utils.detection import detector  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=24)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--anchors", type=int, default=5)
    parser.add_argument("--n-train", type=int, default=None, help="default: the whole training split")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=paths.DETECTOR_DIR)
    parser.add_argument("--init-weights", type=Path, default=None,
                        help="fine-tune from these weights instead of training from scratch")
    args = parser.parse_args(argv)
    results = detector.train(epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.learning_rate,
                             num_anchors=args.anchors, n_train=args.n_train, seed=args.seed, out_dir=args.out,
                             init_weights=args.init_weights,
                             log=lambda line: print(line, flush=True))
    print(f"test mAP@0.5 = {results['test_mAP50']:.3f}; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
