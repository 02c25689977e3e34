#!/usr/bin/env python3
"""How fast is course_utils.conv_fast? Ratios against compiled TensorFlow on this machine.

    python benchmarks/bench_conv.py [--repeat 5] [--rounds 3] [--only TEXT ...] [--markdown] [--threads N]

For course-sized shapes (float32, as Keras uses) it times ``conv_fast``'s convolution forward
and backward and its pooling forward and backward against the same work done by TensorFlow
at its best:

- **compiled.** Each TensorFlow side is a ``tf.function`` traced and warmed up before timing;
  a backward pass is ``tape.gradient`` of the forward op with ``output_gradients`` inside the
  compiled function (for the convolution: ``dA_prev``, ``dW`` and ``db``; for pooling: ``dA_prev``).
  Inputs are TensorFlow tensors made once, outside the timing. Both sides end with numpy
  arrays (``.numpy()`` of a CPU tensor shares its memory, so it costs TensorFlow nothing).
- **same threads.** numpy's BLAS (OpenBLAS) and TensorFlow's intra- and inter-op thread pools
  get the same number of threads, by default every core of the machine (``--threads``), so
  that each side may use the whole machine. numpy's element-wise operations use one thread
  whatever the setting; that is part of what is being measured. On a machine shared with
  other work, a BLAS thread whose partner core is busy can wait a whole scheduler time slice
  inside one product, which shows as numpy calls ten times slower than usual; ``--threads 1``
  gives a comparison that such load disturbs much less.
- **back to back, minimum and median.** The two sides are called alternately (numpy, TF,
  numpy, TF, ...) after two warm-up calls each, so that a change in the machine's load hits
  both; ``--repeat`` calls of each side, and ``--rounds`` rounds over all the cases, so that a
  burst of load from another process spoils one round of a case rather than all its calls.
  Each side's minimum and median over all its calls are printed; the ratio numpy / TF is
  given for the minima (the least disturbed call of each) and for the medians. Below 1
  means numpy is faster.
- **eager, for comparison.** A second column gives the ratio against TensorFlow called
  eagerly, op by op (``--no-eager`` skips it), which adds Python dispatch to TensorFlow's side.

Then the speed-up of ``conv_fast`` over the loop version ``conv``, on one image (the loops
take up to seconds: one call a round).

Targets from the course design: convolution forward within 1.5x of compiled TensorFlow,
backward and pooling within 2x, and at least 100x faster than the loops. This is a benchmark,
not a test: it prints, it does not assert, because timings depend on the machine and its load.
Run it on a quiet machine; ``--markdown`` prints the tables for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from functools import partial


def _parser():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls of each side in a round (default 5)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds over all the cases (default 3); minimum and median are over every call")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="run only the cases whose name contains TEXT (repeatable; e.g. 'max backward', "
                             "'3x3', 'loops')")
    parser.add_argument("--markdown", action="store_true", help="print the results as markdown tables")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for numpy's BLAS and for TensorFlow (default: every core)")
    parser.add_argument("--no-eager", dest="eager", action="store_false", help="skip eager TensorFlow")
    parser.add_argument("--tiny", action="store_true", help="tiny shapes, to check that the script runs")
    return parser


# Thread counts are read when numpy's BLAS and TensorFlow load, so they are set before the imports.
ARGS = _parser().parse_args()
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = str(ARGS.threads)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_utils import conv, conv_fast  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(ARGS.threads)
tf.config.threading.set_inter_op_parallelism_threads(ARGS.threads)

# (name, (m, n_H, n_W, n_C_prev), f, n_C, stride, pad)
CONV_SHAPES = [
    ("3x3 on RGB, pad 1", (32, 64, 64, 3), 3, 16, 1, 1),
    ("4x4 on RGB, stride 2, pad 1", (32, 64, 64, 3), 4, 8, 2, 1),
    ("SIGNS first layer", (32, 64, 64, 3), 4, 8, 1, 2),
    ("HAPPY 7x7 layer", (32, 70, 70, 3), 7, 32, 1, 0),
    ("mid-network 3x3", (32, 32, 32, 16), 3, 32, 1, 1),
    ("deep 3x3 stride 2", (32, 16, 16, 64), 3, 64, 2, 1),
]
# (name, (m, n_H, n_W, n_C), f, stride)
POOL_SHAPES = [
    ("2x2/2 on 16 channels", (32, 64, 64, 16), 2, 2),
    ("2x2/2 after conv1", (32, 64, 64, 8), 2, 2),
    ("8x8/8 (convolutional_model)", (32, 64, 64, 8), 8, 8),
    ("3x3/2 overlapping", (32, 32, 32, 32), 3, 2),
]
# The course's own layers, timed against the loops on one image.
LOOP_SHAPES = ["3x3 on RGB, pad 1", "SIGNS first layer", "HAPPY 7x7 layer"]
TINY_CONV = [("tiny conv", (2, 6, 5, 3), 3, 4, 2, 1)]
TINY_POOL = [("tiny pool", (2, 6, 6, 2), 2, 2)]

CONV_TARGETS = {"forward": 1.5, "backward": 2.0}
POOL_TARGET = 2.0
LOOPS_TARGET = 100


# ---------------------------------------------------------------------------- timing

def alternate(ours, theirs, repeat):
    """Call the two sides alternately after two warm-up calls each; the times of each side, in seconds."""
    for _ in range(2):  # the first calls allocate, fault pages in and pick kernels
        ours(), theirs()
    t_ours, t_theirs = [], []
    for _ in range(repeat):
        for fn, times in ((ours, t_ours), (theirs, t_theirs)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return t_ours, t_theirs


def compiled(fn, *tensors):
    """``fn`` compiled by ``tf.function`` on these tensors; the caller gets numpy arrays back."""
    graph = tf.function(fn)
    graph.get_concrete_function(*tensors)  # trace now, not in the timing
    return lambda: tf.nest.map_structure(lambda t: t.numpy(), graph(*tensors))


def eager(fn, *tensors):
    return lambda: tf.nest.map_structure(lambda t: t.numpy(), fn(*tensors))


# ---------------------------------------------------------------------------- TensorFlow's side

def tf_conv(stride, pad):
    padding = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    return lambda A, W, b: tf.nn.conv2d(A, W, strides=stride, padding=padding) + b


def tf_conv_backward(stride, pad):
    forward = tf_conv(stride, pad)

    def backward(A, W, b, dZ):
        with tf.GradientTape() as tape:
            tape.watch([A, W, b])
            Z = forward(A, W, b)
        return tape.gradient(Z, [A, W, b], output_gradients=dZ)

    return backward


def tf_pool(f, stride, mode):
    pool = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    return lambda A: pool(A, f, stride, "VALID")


def tf_pool_backward(f, stride, mode):
    forward = tf_pool(f, stride, mode)

    def backward(A, dA):
        with tf.GradientTape() as tape:
            tape.watch(A)
            out = forward(A)
        return tape.gradient(out, A, output_gradients=dA)

    return backward


# ---------------------------------------------------------------------------- cases

def conv_cases(shapes, rng):
    """``(name, target, numpy_call, tf_function, tf_arguments)`` for each convolution, forward and backward."""
    for name, shape, f, n_C, stride, pad in shapes:
        A = rng.standard_normal(shape, dtype=np.float32)
        W = rng.standard_normal((f, f, shape[-1], n_C), dtype=np.float32)
        b = rng.standard_normal((1, 1, 1, n_C), dtype=np.float32)
        hp = {"stride": stride, "pad": pad}
        Z, cache = conv_fast.conv_forward(A, W, b, hp)
        dZ = rng.standard_normal(Z.shape, dtype=np.float32)
        label = f"{name}: {shape[1]}x{shape[2]}x{shape[3]}, {f}x{f} x{n_C}, stride {stride}, pad {pad}"
        tensors = [tf.constant(a) for a in (A, W, b)]
        yield (f"conv forward, {label}", CONV_TARGETS["forward"],
               partial(conv_fast.conv_forward, A, W, b, hp), tf_conv(stride, pad), tensors)
        yield (f"conv backward, {label}", CONV_TARGETS["backward"],
               partial(conv_fast.conv_backward, dZ, cache), tf_conv_backward(stride, pad), [*tensors, tf.constant(dZ)])


def pool_cases(shapes, rng):
    for name, shape, f, stride in shapes:
        A = rng.standard_normal(shape, dtype=np.float32)
        hp = {"f": f, "stride": stride}
        label = f"{name}: {shape[1]}x{shape[2]}x{shape[3]}, {f}x{f} stride {stride}"
        for mode in ("max", "average"):
            out, cache = conv_fast.pool_forward(A, hp, mode)
            dA = rng.standard_normal(out.shape, dtype=np.float32)
            yield (f"{mode} pool forward, {label}", POOL_TARGET,
                   partial(conv_fast.pool_forward, A, hp, mode), tf_pool(f, stride, mode), [tf.constant(A)])
            yield (f"{mode} pool backward, {label}", POOL_TARGET,
                   partial(conv_fast.pool_backward, dA, cache, mode), tf_pool_backward(f, stride, mode),
                   [tf.constant(A), tf.constant(dA)])


def selected(name, only):
    return not only or any(text in name for text in only)


def measure(cases, args):
    """Time every selected case, ``--rounds`` times over; one result dict per case.

    Each round times all the cases in turn, so that a burst of load from another process,
    which lasts seconds, spoils one round of a case rather than all its calls.
    """
    timed = []
    for name, target, ours, tf_fn, tensors in cases:
        if selected(name, args.only):
            sides = {"compiled": compiled(tf_fn, *tensors), "eager": eager(tf_fn, *tensors) if args.eager else None}
            timed.append(({"name": name, "target": target}, ours, sides, {key: ([], []) for key in sides}))
    for _ in range(args.rounds):
        for _, ours, sides, times in timed:
            for key, theirs in sides.items():
                if theirs is not None:
                    t_ours, t_theirs = alternate(ours, theirs, args.repeat)
                    times[key][0].extend(t_ours)
                    times[key][1].extend(t_theirs)
    results = []
    for result, _, _, times in timed:
        (t_ours, t_tf), (t_ours_e, t_eager) = times["compiled"], times["eager"]
        result.update(numpy_min=min(t_ours), numpy_median=statistics.median(t_ours),
                      tf_min=min(t_tf), tf_median=statistics.median(t_tf))
        result["ratio_min"] = result["numpy_min"] / result["tf_min"]
        result["ratio_median"] = result["numpy_median"] / result["tf_median"]
        result["eager_min"] = min(t_eager) if t_eager else None
        result["ratio_eager"] = min(t_ours_e) / min(t_eager) if t_eager else None
        results.append(result)
        if not args.markdown:
            print_row(result)
    return results


def print_row(r):
    flag = "ok" if r["ratio_min"] <= r["target"] else f"ABOVE {r['target']}x"
    eager = f"   eager TF {r['eager_min'] * 1e3:7.2f} ms ratio {r['ratio_eager']:5.2f}" if r["eager_min"] else ""
    print(f"{r['name']}\n    numpy min {r['numpy_min'] * 1e3:7.2f} median {r['numpy_median'] * 1e3:7.2f} ms"
          f"   TF min {r['tf_min'] * 1e3:7.2f} median {r['tf_median'] * 1e3:7.2f} ms"
          f"   ratio min {r['ratio_min']:5.2f} median {r['ratio_median']:5.2f} ({flag}){eager}", flush=True)


def print_markdown(results, eager, batch):
    print(f"| case (batch of {batch}, float32) | numpy min / median (ms) | TF compiled min / median (ms) "
          "| ratio (min) | ratio (median) | target |" + (" ratio vs eager TF (min) |" if eager else ""))
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if eager else ""))
    for r in results:
        row = (f"| {r['name']} | {r['numpy_min'] * 1e3:.2f} / {r['numpy_median'] * 1e3:.2f} "
               f"| {r['tf_min'] * 1e3:.2f} / {r['tf_median'] * 1e3:.2f} | {r['ratio_min']:.2f} "
               f"| {r['ratio_median']:.2f} | ≤ {r['target']:g} |")
        print(row + (f" {r['ratio_eager']:.2f} |" if eager else ""))


# ---------------------------------------------------------------------------- against the loops

def loop_cases(shape, rng):
    """The slow loop version against conv_fast on one image (float64, as a learner calls them)."""
    name, shape, f, n_C, stride, pad = shape
    one = (1, *shape[1:])
    A = rng.standard_normal(one)
    W = rng.standard_normal((f, f, shape[-1], n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    hp = {"stride": stride, "pad": pad}
    Z, cache = conv_fast.conv_forward(A, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    yield (f"loops, {name}, conv forward", partial(conv.conv_forward, A, W, b, hp),
           partial(conv_fast.conv_forward, A, W, b, hp))
    yield (f"loops, {name}, conv backward", partial(conv.conv_backward, dZ, cache),
           partial(conv_fast.conv_backward, dZ, cache))


def pool_loop_cases(shape, rng):
    name, shape, f, stride = shape
    A = rng.standard_normal((1, *shape[1:]))
    hp = {"f": f, "stride": stride}
    out, cache = conv_fast.pool_forward(A, hp, "max")
    dA = rng.standard_normal(out.shape)
    yield (f"loops, {name}, max pool forward", partial(conv.pool_forward, A, hp, "max"),
           partial(conv_fast.pool_forward, A, hp, "max"))
    yield (f"loops, {name}, max pool backward", partial(conv.pool_backward, dA, cache, "max"),
           partial(conv_fast.pool_backward, dA, cache, "max"))


def measure_loops(cases, args):
    results = []
    for name, slow, fast in cases:
        if not selected(name, args.only):
            continue
        fast()
        t_slow = min(_timed(slow) for _ in range(args.rounds))  # seconds each: one call a round
        t_fast = min(_timed(fast) for _ in range(args.repeat * args.rounds))
        results.append((name, t_slow, t_fast))
        if not args.markdown:
            print(f"{name:<60} loops {t_slow:7.2f} s   fast {t_fast * 1e3:7.3f} ms   "
                  f"speed-up {t_slow / t_fast:7.0f}x", flush=True)
    return results


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ---------------------------------------------------------------------------- main

def machine():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return (f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {np.__version__} "
            f"({blas.get('name')} {blas.get('version')}), TensorFlow {tf.__version__}; "
            f"{ARGS.threads} thread{'' if ARGS.threads == 1 else 's'} for BLAS and TensorFlow; float32; "
            f"{ARGS.rounds} rounds of {ARGS.repeat} timed calls per side")


def main(args):
    print(machine() + "\n", flush=True)
    rng = np.random.default_rng(0)
    conv_shapes, pool_shapes = (TINY_CONV, TINY_POOL) if args.tiny else (CONV_SHAPES, POOL_SHAPES)
    results = measure([*conv_cases(conv_shapes, rng), *pool_cases(pool_shapes, rng)], args)
    loop_shapes = conv_shapes if args.tiny else [shape for shape in conv_shapes if shape[0] in LOOP_SHAPES]
    loops = [*(case for shape in loop_shapes for case in loop_cases(shape, rng)), *pool_loop_cases(pool_shapes[0], rng)]
    loop_results = measure_loops(loops, args)
    if args.markdown:
        print_markdown(results, args.eager, batch=conv_shapes[0][1][0])
        if loop_results:
            print("\n| one image, float64 | loops (s) | conv_fast (ms) | speed-up |\n|---|---:|---:|---:|")
            for name, t_slow, t_fast in loop_results:
                print(f"| {name.removeprefix('loops, ')} | {t_slow:.2f} | {t_fast * 1e3:.3f} "
                      f"| {t_slow / t_fast:.0f}× |")
    above = [r["name"] for r in results if r["ratio_min"] > r["target"]]
    above += [name for name, t_slow, t_fast in loop_results if t_slow / t_fast < LOOPS_TARGET]
    print(f"\n{len(above)} of {len(results) + len(loop_results)} cases miss their target"
          + "".join(f"\n  - {name}" for name in above))


if __name__ == "__main__":
    main(ARGS)
