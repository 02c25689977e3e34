"""The SIGNS and HAPPY datasets, generated offline, in the course's h5 layout.

The course's own files cannot be redistributed, so the project draws look-alikes with seeded
generators (:func:`make_signs`, :func:`make_happy`) and ships them in ``data/`` under the
course's file names and keys. Regenerate them, bit for bit, with::

    python -m course_utils.datasets --regenerate

Every bundled file is checked against a SHA-256 of its contents when it is loaded. A
learner who has the course's original files passes their folder as ``path=``; those are
checked for layout (keys, shapes, dtypes) but not against the checksums.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

import numpy as np

from course_utils import _validate, paths

__all__ = ["load_signs", "load_happy", "convert_to_one_hot", "make_signs", "make_happy",
           "write_h5", "regenerate"]

REGENERATE = "python -m course_utils.datasets --regenerate"

# name: (generator, classes, n_train, n_test, seed)
_DATASETS = {
    "signs": ("make_signs", np.arange(6, dtype=np.int64), 1080, 120, 1),
    "happy": ("make_happy", np.array([0, 1], dtype=np.int64), 600, 150, 2),
}

# SHA-256 of the arrays stored in each bundled file (see _content_digest).
CHECKSUMS = {
    "train_signs.h5":
        "ee264738ee848ea0504683fab0fefd25d762732b83c66261d70d3b2af8be20ee",
    "test_signs.h5":
        "eb06176ddb37d57cec12c0090e1983f0273064c50294950353bbb38ae0dca7da",
    "train_happy.h5":
        "33e9bc60dcb8561e244059e8790c4748e4f13356021afd5fdb217de2fc645960",
    "test_happy.h5":
        "7fd89e42245aabcf446ce56d277395b11df6c52692752b9c43a9df24aca1b13a",
}


def _generate(draw, labels: np.ndarray, seed: int, split: int) -> np.ndarray:
    """Draw one image per label; image ``i`` depends only on ``(seed, split, i)``."""
    images = np.empty((len(labels), 64, 64, 3), dtype=np.uint8)
    for i, label in enumerate(labels):
        images[i] = draw(np.random.default_rng([seed, split, i]), int(label))
    return images


def _balanced_labels(n: int, n_classes: int, seed: int, split: int) -> np.ndarray:
    labels = np.arange(n) % n_classes
    np.random.default_rng([seed, split, 10**6]).shuffle(labels)
    return labels.astype(np.int64)


def make_signs(n: int, seed: int = 1, split: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` synthetic hand signs, balanced over the six classes.

    Each image is a photograph-like hand in front of a wall showing the course's signs: 0 an "O"
    seen from the side, 1 to 5 that many raised fingers (the thumb counts), palm towards the
    camera, forearm entering from the bottom edge; skin tone, left or right hand, rotation, size,
    position, finger length and spread, sleeve, wall, lighting, shadow, blur and noise vary
    (:mod:`course_utils.synthetic.signs`).

    Parameters
    ----------
    n : int
        Number of images.
    seed : int, default 1
        Seed of the dataset; the bundled files use 1.
    split : int, default 0
        0 for the training set, 1 for the test set: the two never share an image.

    Returns
    -------
    X : numpy.ndarray
        uint8 images, shape ``(n, 64, 64, 3)``.
    Y : numpy.ndarray
        int64 labels (number of raised fingers), shape ``(n,)``.
    """
    from course_utils.synthetic import signs

    n = _validate.integer(n, "n", minimum=0)
    seed, split = _validate.integer(seed, "seed", 0), _validate.integer(split, "split", 0)
    labels = _balanced_labels(n, 6, seed, split)
    return _generate(signs.draw_hand, labels, seed, split), labels


def make_happy(n: int, seed: int = 2, split: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` synthetic faces, half of them smiling.

    The label shows in the mouth (raised corners, often open) and the eyes (narrowed or
    closed into arcs); face shape, skin, hair, glasses, pose, lighting and background vary
    independently of it.

    Parameters
    ----------
    n : int
        Number of images.
    seed : int, default 2
        Seed of the dataset; the bundled files use 2.
    split : int, default 0
        0 for the training set, 1 for the test set.

    Returns
    -------
    X : numpy.ndarray
        uint8 images, shape ``(n, 64, 64, 3)``.
    Y : numpy.ndarray
        int64 labels (1 = smiling), shape ``(n,)``.
    """
    from course_utils.synthetic import happy

    n = _validate.integer(n, "n", minimum=0)
    seed, split = _validate.integer(seed, "seed", 0), _validate.integer(split, "split", 0)
    labels = _balanced_labels(n, 2, seed, split)
    return _generate(lambda rng, label: happy.draw_face(rng, bool(label)), labels, seed, split), labels


def write_h5(filename, X: np.ndarray, Y: np.ndarray, classes: np.ndarray, split: str) -> None:
    """Write one split in the course's layout.

    Parameters
    ----------
    filename : str or os.PathLike
        The h5 file to create (overwritten).
    X : numpy.ndarray
        uint8 images, shape ``(m, 64, 64, 3)``, stored as ``<split>_set_x``.
    Y : numpy.ndarray
        int64 labels, shape ``(m,)``, stored as ``<split>_set_y``.
    classes : numpy.ndarray
        Class values, shape ``(n_classes,)``, stored as ``list_classes``.
    split : {"train", "test"}
        Which keys to use.
    """
    import h5py

    if split not in ("train", "test"):
        raise ValueError(f'split must be "train" or "test"; got {split!r}')
    # No timestamps and a fixed file-format version, so the bytes depend only on the arrays.
    with h5py.File(filename, "w", libver=("earliest", "v110"), track_order=False) as f:
        for key, value in ((f"{split}_set_x", X), (f"{split}_set_y", Y), ("list_classes", classes)):
            f.create_dataset(key, data=value, track_times=False)


def _content_digest(arrays) -> str:
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _read_split(filename: Path, split: str, verify: bool):
    """Read ``(X, Y, classes)`` from one course-format file, with errors a learner can act on."""
    import h5py

    how = (f"run `{REGENERATE}` to recreate it" if verify
           else "pass the folder that holds the course's files as path=, or path=None for the bundled ones")
    if not filename.is_file():
        raise FileNotFoundError(f"dataset file {filename} does not exist; {how}")
    keys = (f"{split}_set_x", f"{split}_set_y", "list_classes")
    try:
        with h5py.File(filename, "r") as f:
            missing = [key for key in keys if key not in f]
            if missing:
                raise ValueError(f"dataset file {filename} has no key(s) {missing} (it holds {sorted(f)}); "
                                 f"expected the course's keys {list(keys)}; {how}")
            X, Y, classes = (np.asarray(f[key][()]) for key in keys)
    except ValueError:
        raise
    except OSError as exc:  # h5py's error for a truncated or non-HDF5 file
        raise ValueError(f"dataset file {filename} is not a readable HDF5 file ({exc}); {how}") from None
    if X.ndim != 4 or X.shape[1:] != (64, 64, 3) or X.dtype != np.uint8:
        raise ValueError(f"{keys[0]} in {filename} must be uint8 images of shape (m, 64, 64, 3); "
                         f"got {X.dtype} {X.shape}; {how}")
    if Y.size != X.shape[0]:
        raise ValueError(f"{keys[1]} in {filename} must hold one label per image ({X.shape[0]}); "
                         f"got shape {Y.shape}; {how}")
    if verify:
        expected = CHECKSUMS.get(filename.name)
        if expected and _content_digest((X, Y, classes)) != expected:
            raise ValueError(f"dataset file {filename} does not match its checksum (corrupt or modified); "
                             f"{how}")
    return X, Y.reshape(1, -1).astype(np.int64), classes


def _load(name: str, path):
    if path is None:
        folder, verify = paths.DATA_DIR, True
    else:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a folder name (str or pathlib.Path) or None; got {type(path).__name__}")
        folder, verify = Path(path), False
        if not folder.is_dir():
            kind = "a file" if folder.exists() else "missing"
            raise ValueError(f"path must be a folder holding train_{name}.h5 and test_{name}.h5; "
                             f"got {str(folder)!r}, which is {kind}")
    X_train, Y_train, classes = _read_split(folder / f"train_{name}.h5", "train", verify)
    X_test, Y_test, _ = _read_split(folder / f"test_{name}.h5", "test", verify)
    return X_train, Y_train, X_test, Y_test, classes


def load_signs(path=None):
    """Load the SIGNS hand-sign dataset (0 to 5 raised fingers).

    Parameters
    ----------
    path : str or os.PathLike, optional
        Folder holding ``train_signs.h5`` and ``test_signs.h5`` in the course's layout
        (e.g. the course's original files). Default: the project's generated files,
        verified against their checksums.

    Returns
    -------
    X_train : numpy.ndarray
        uint8, shape ``(1080, 64, 64, 3)`` for the bundled files.
    Y_train : numpy.ndarray
        int64, shape ``(1, 1080)``.
    X_test : numpy.ndarray
        uint8, shape ``(120, 64, 64, 3)``.
    Y_test : numpy.ndarray
        int64, shape ``(1, 120)``.
    classes : numpy.ndarray
        shape ``(6,)``: ``[0, 1, 2, 3, 4, 5]``.

    Raises
    ------
    FileNotFoundError
        A file is missing (the message says how to regenerate it).
    ValueError
        A file is corrupt, has other keys or shapes, or does not match its checksum.
    """
    return _load("signs", path)


def load_happy(path=None):
    """Load the HAPPY faces dataset (0 = not smiling, 1 = smiling).

    Parameters
    ----------
    path : str or os.PathLike, optional
        Folder holding ``train_happy.h5`` and ``test_happy.h5`` in the course's layout.
        Default: the project's generated files, verified against their checksums.

    Returns
    -------
    X_train, Y_train, X_test, Y_test, classes
        As :func:`load_signs`: X uint8 ``(m, 64, 64, 3)``, Y int64 ``(1, m)``, with 600
        training and 150 test images for the bundled files; classes ``(2,)``.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`load_signs`: a file is missing, corrupt or altered; the message names the
        file and says how to regenerate it.
    """
    return _load("happy", path)


def convert_to_one_hot(Y, C):
    """One-hot encode integer labels.

    Parameters
    ----------
    Y : array_like of int
        Labels in ``0 .. C-1``, shape ``(1, m)`` (the loaders' layout) or ``(m,)``.
    C : int
        Number of classes.

    Returns
    -------
    numpy.ndarray
        float64, shape ``(m, C)``; row ``i`` is 1 in column ``Y[i]``.
    """
    C = _validate.integer(C, "C", minimum=1)
    Y = _validate.as_numeric_array(Y, "Y")
    if Y.ndim == 2 and Y.shape[0] == 1:
        Y = Y[0]
    if Y.ndim != 1:
        raise ValueError(f"Y must have shape (1, m) or (m,); got shape {Y.shape}")
    if not np.issubdtype(Y.dtype, np.integer) and not np.all(Y == np.round(Y)):
        raise ValueError("Y must hold whole-number class labels; got fractional values")
    labels = Y.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= C):
        raise ValueError(f"Y must hold labels in 0..{C - 1} (C={C}); got values from {labels.min()} to {labels.max()}")
    return np.eye(C)[labels]


def regenerate(directory=None) -> dict[str, str]:
    """Write the four bundled h5 files and return their content checksums.

    Parameters
    ----------
    directory : str or os.PathLike, optional
        Where to write them; default ``data/`` at the repository root.

    Returns
    -------
    dict of str to str
        File name to SHA-256 of its arrays (the values of :data:`CHECKSUMS`).
    """
    folder = paths.DATA_DIR if directory is None else Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    sums = {}
    for name, (generator, classes, n_train, n_test, seed) in _DATASETS.items():
        for split_id, (split, n) in enumerate((("train", n_train), ("test", n_test))):
            X, Y = globals()[generator](n, seed=seed, split=split_id)
            write_h5(folder / f"{split}_{name}.h5", X, Y, classes, split)
            sums[f"{split}_{name}.h5"] = _content_digest((X, Y, classes))
    return sums


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Generate or check the SIGNS and HAPPY h5 files.")
    parser.add_argument("--regenerate", action="store_true", help="write data/*.h5 from the seeded generators")
    parser.add_argument("--out", type=Path, default=None, help="folder to write to (default: data/)")
    args = parser.parse_args(argv)
    if not args.regenerate:
        load_signs(), load_happy()
        print(f"data files in {paths.DATA_DIR} match their checksums")
        return 0
    sums = regenerate(args.out)
    status = 0
    for filename, digest in sums.items():
        ok = CHECKSUMS.get(filename) == digest
        status |= not ok
        print(f"{filename}: {digest} {'ok' if ok else 'DIFFERS from course_utils.datasets.CHECKSUMS'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
