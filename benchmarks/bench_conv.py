#!/usr/bin/env python3
"""How fast is course_utils.conv_fast? Ratios against TensorFlow on this machine.

    python benchmarks/bench_conv.py [--repeat 15]

For several course-sized shapes (float32, as Keras uses) it prints the median time of
``conv_fast`` forward and backward and of pooling, the same work done by TensorFlow's own
CPU kernels (``tf.nn.conv2d``; ``Conv2DBackpropInput`` + ``Conv2DBackpropFilter`` + a sum for
the bias; ``tf.nn.max_pool2d``/``avg_pool2d`` and their gradients), and the ratio
numpy / TensorFlow (below 1 means numpy is faster): the two are called alternately and the
ratio is the median of the per-pair ratios, so that a change in machine load hits both sides
(``--timing sequential`` instead times a block of calls of each, which lets TensorFlow's thread
pool stay warm between its calls and so favours it).
Both sides return numpy arrays.
Then the speed-up of ``conv_fast`` over the loop version ``conv`` on one image.

Targets from the course design: forward within 1.5x of TensorFlow, backward and pooling
within 2x, and at least 100x faster than the loops. This is a benchmark, not a test: it
prints, it does not assert, because timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_utils import conv, conv_fast  # noqa: E402

# (name, (m, n_H, n_W, n_C_prev), f, n_C, stride, pad)
CONV_SHAPES = [
    ("SIGNS first layer", (32, 64, 64, 3), 4, 8, 1, 2),
    ("HAPPY 7x7 layer", (32, 70, 70, 3), 7, 32, 1, 0),
    ("mid-network 3x3", (32, 32, 32, 16), 3, 32, 1, 1),
    ("deep 3x3 stride 2", (32, 16, 16, 64), 3, 64, 2, 1),
]
# (name, (m, n_H, n_W, n_C), f, stride)
POOL_SHAPES = [
    ("2x2/2 after conv1", (32, 64, 64, 8), 2, 2),
    ("8x8/8 (convolutional_model)", (32, 64, 64, 8), 8, 8),
    ("3x3/2 overlapping", (32, 32, 32, 32), 3, 2),
]


def median_time(fn, repeat):
    fn()  # warm-up: first calls allocate and pick kernels
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(ours, theirs, repeat):
    """Alternate the two calls so that both see the same machine load; median times and ratio."""
    ours(), theirs()
    t_ours, t_theirs = [], []
    for _ in range(repeat):
        for fn, times in ((ours, t_ours), (theirs, t_theirs)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    ratio = statistics.median(a / b for a, b in zip(t_ours, t_theirs, strict=True))
    return statistics.median(t_ours), statistics.median(t_theirs), ratio


def tf_conv_forward(A, W, b, stride, pad):
    padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    return lambda: (tf.nn.conv2d(A, W, strides=stride, padding=padding) + b).numpy()


def tf_conv_backward(A, W, dZ, stride, pad):
    strides = [1, stride, stride, 1]
    explicit = [0, 0, pad, pad, pad, pad, 0, 0]

    def run():
        dA = tf.raw_ops.Conv2DBackpropInput(input_sizes=A.shape, filter=W, out_backprop=dZ, strides=strides,
                                            padding="EXPLICIT", explicit_paddings=explicit)
        dW = tf.raw_ops.Conv2DBackpropFilter(input=A, filter_sizes=W.shape, out_backprop=dZ, strides=strides,
                                             padding="EXPLICIT", explicit_paddings=explicit)
        db = tf.reduce_sum(dZ, axis=[0, 1, 2])
        return dA.numpy(), dW.numpy(), db.numpy()

    return run


def tf_pool(A, f, stride, mode, dA=None):
    pool = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    if dA is None:
        return lambda: pool(A, f, stride, "VALID").numpy()
    x = tf.constant(A)

    def backward():
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = pool(x, f, stride, "VALID")
        return tape.gradient(out, x, output_gradients=dA).numpy()

    return backward


def sequential(ours, theirs, repeat):
    """Each side in its own block of calls: TensorFlow's thread pool stays warm between its calls."""
    t_ours, t_theirs = median_time(ours, repeat), median_time(theirs, repeat)
    return t_ours, t_theirs, t_ours / t_theirs


TIMING = {"paired": paired, "sequential": sequential}


def row(name, ours, theirs, target, repeat, timing="paired"):
    t_ours, t_theirs, ratio = TIMING[timing](ours, theirs, repeat)
    flag = "ok" if ratio <= target else f"above {target}x"
    print(f"  {name:<34} numpy {t_ours * 1e3:8.2f} ms   TF {t_theirs * 1e3:8.2f} ms   ratio {ratio:5.2f}  ({flag})")
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--timing", choices=sorted(TIMING), default="paired",
                        help="paired: alternate the calls (default); sequential: a block of calls each")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, TensorFlow {tf.__version__}, {os.cpu_count()} CPU cores, float32, "
          f"{args.timing} timing, {args.repeat} repeats\n")

    print("Convolution, ratio numpy / TensorFlow (target: forward <= 1.5, backward <= 2)")
    for name, shape, f, n_C, stride, pad in CONV_SHAPES:
        A = rng.standard_normal(shape, dtype=np.float32)
        W = rng.standard_normal((f, f, shape[-1], n_C), dtype=np.float32)
        b = rng.standard_normal((1, 1, 1, n_C), dtype=np.float32)
        hp = {"stride": stride, "pad": pad}
        Z, cache = conv_fast.conv_forward(A, W, b, hp)
        dZ = rng.standard_normal(Z.shape, dtype=np.float32)
        print(f" {name}: A_prev {shape}, W {W.shape}, stride {stride}, pad {pad}")
        row("forward", lambda: conv_fast.conv_forward(A, W, b, hp),
            tf_conv_forward(A, W, b, stride, pad), 1.5, args.repeat, args.timing)
        row("backward (dA_prev, dW, db)", lambda: conv_fast.conv_backward(dZ, cache),
            tf_conv_backward(A, W, dZ, stride, pad), 2.0, args.repeat, args.timing)

    print("\nPooling, ratio numpy / TensorFlow (target <= 2)")
    for name, shape, f, stride in POOL_SHAPES:
        A = rng.standard_normal(shape, dtype=np.float32)
        hp = {"f": f, "stride": stride}
        print(f" {name}: A_prev {shape}, f {f}, stride {stride}")
        for mode in ("max", "average"):
            out, cache = conv_fast.pool_forward(A, hp, mode)
            dA = rng.standard_normal(out.shape, dtype=np.float32)
            row(f"{mode} forward", lambda: conv_fast.pool_forward(A, hp, mode),
                tf_pool(A, f, stride, mode), 2.0, args.repeat, args.timing)
            row(f"{mode} backward", lambda: conv_fast.pool_backward(dA, cache, mode),
                tf_pool(A, f, stride, mode, dA), 2.0, args.repeat, args.timing)

    print("\nSpeed-up of conv_fast over the loop version conv, one image (target >= 100x)")
    for name, shape, f, n_C, stride, pad in CONV_SHAPES[:2]:
        one = (1, *shape[1:])
        A = rng.standard_normal(one)
        W = rng.standard_normal((f, f, shape[-1], n_C))
        b = rng.standard_normal((1, 1, 1, n_C))
        hp = {"stride": stride, "pad": pad}
        Z, cache = conv_fast.conv_forward(A, W, b, hp)
        dZ = rng.standard_normal(Z.shape)
        for what, slow, fast in [
            ("conv forward", lambda: conv.conv_forward(A, W, b, hp), lambda: conv_fast.conv_forward(A, W, b, hp)),
            ("conv backward", lambda: conv.conv_backward(dZ, cache), lambda: conv_fast.conv_backward(dZ, cache)),
        ]:
            t_slow, t_fast = median_time(slow, 1), median_time(fast, args.repeat)
            print(f"  {name + ', ' + what:<40} loops {t_slow:7.2f} s   fast {t_fast * 1e3:7.2f} ms"
                  f"   speed-up {t_slow / t_fast:8.0f}x")
    A = rng.standard_normal((1, 64, 64, 8))
    hp = {"f": 2, "stride": 2}
    t_slow = median_time(lambda: conv.pool_forward(A, hp, "max"), 1)
    t_fast = median_time(lambda: conv_fast.pool_forward(A, hp, "max"), args.repeat)
    print(f"  {'max pool 2x2/2 on (1, 64, 64, 8)':<40} loops {t_slow:7.2f} s   fast {t_fast * 1e3:7.2f} ms"
          f"   speed-up {t_slow / t_fast:8.0f}x")


if __name__ == "__main__":
    main()
