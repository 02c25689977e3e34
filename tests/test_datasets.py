"""The SIGNS/HAPPY generators, the h5 files and their loaders."""

import shutil

import h5py
import numpy as np
import pytest

from course_utils import datasets, paths


@pytest.mark.parametrize("make", [datasets.make_signs, datasets.make_happy])
def test_generators_are_deterministic_and_seeded(make):
    X1, Y1 = make(6, seed=3)
    X2, Y2 = make(6, seed=3)
    X3, _ = make(6, seed=4)
    assert X1.shape == (6, 64, 64, 3) and X1.dtype == np.uint8 and Y1.shape == (6,)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)
    assert X1.std() > 10  # real pictures, not flat colour


def test_generators_are_balanced_and_splits_differ():
    _, Y = datasets.make_signs(12, seed=1)
    assert np.bincount(Y, minlength=6).tolist() == [2] * 6
    X_train, _ = datasets.make_happy(4, seed=2, split=0)
    X_test, _ = datasets.make_happy(4, seed=2, split=1)
    assert not np.array_equal(X_train, X_test)


def test_bundled_files_have_the_course_layout_and_sizes():
    for name in ("train_signs.h5", "test_signs.h5", "train_happy.h5", "test_happy.h5"):
        path = paths.DATA_DIR / name
        assert path.stat().st_size < 20 * 2**20
        split = name.split("_")[0]
        with h5py.File(path, "r") as f:
            assert sorted(f) == sorted([f"{split}_set_x", f"{split}_set_y", "list_classes"])
            assert f[f"{split}_set_x"].dtype == np.uint8


def test_load_signs_and_happy_shapes():
    X_train, Y_train, X_test, Y_test, classes = datasets.load_signs()
    assert X_train.shape == (1080, 64, 64, 3) and X_test.shape == (120, 64, 64, 3)
    assert Y_train.shape == (1, 1080) and Y_test.shape == (1, 120)
    assert classes.tolist() == [0, 1, 2, 3, 4, 5]
    assert np.bincount(Y_train[0]).tolist() == [180] * 6
    X_train, Y_train, X_test, Y_test, classes = datasets.load_happy()
    assert X_train.shape == (600, 64, 64, 3) and Y_test.shape == (1, 150)
    assert classes.tolist() == [0, 1]


def test_bundled_files_match_the_generators_bit_for_bit():
    """The first images of each file are exactly what the seeded generator draws."""
    X_train, Y_train, X_test, Y_test, _ = datasets.load_signs()
    labels = Y_test[0]
    from course_utils.synthetic import signs
    for i in range(3):
        image = signs.draw_hand(np.random.default_rng([1, 1, i]), int(labels[i]))
        np.testing.assert_array_equal(image, X_test[i])


def test_loader_reads_a_course_format_folder(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (5, 64, 64, 3), dtype=np.uint8)
    Y = np.array([0, 1, 1, 0, 1])
    datasets.write_h5(tmp_path / "train_happy.h5", X, Y, np.array([0, 1]), "train")
    datasets.write_h5(tmp_path / "test_happy.h5", X[:2], Y[:2], np.array([0, 1]), "test")
    X_train, Y_train, X_test, Y_test, classes = datasets.load_happy(path=str(tmp_path))
    np.testing.assert_array_equal(X_train, X)
    assert Y_train.tolist() == [Y.tolist()] and Y_test.shape == (1, 2)


def test_missing_and_bad_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_signs.h5"):
        datasets.load_signs(path=tmp_path)
    with pytest.raises(ValueError, match="path must be a folder"):
        datasets.load_signs(path=tmp_path / "nowhere")
    with pytest.raises(TypeError, match="path must be"):
        datasets.load_signs(path=3)


def test_corrupt_and_wrong_files_give_clear_errors(tmp_path, monkeypatch):
    (tmp_path / "train_signs.h5").write_bytes(b"not an hdf5 file")
    shutil.copy(paths.DATA_DIR / "test_signs.h5", tmp_path / "test_signs.h5")
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        datasets.load_signs(path=tmp_path)
    with h5py.File(tmp_path / "train_signs.h5", "w") as f:
        f["images"] = np.zeros(3)
    with pytest.raises(ValueError, match="train_set_x"):
        datasets.load_signs(path=tmp_path)
    # A bundled file whose contents changed fails its checksum and says how to regenerate.
    X, Y = datasets.make_signs(2)
    datasets.write_h5(tmp_path / "train_signs.h5", X, Y, np.arange(6), "train")
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="checksum.*--regenerate"):
        datasets.load_signs()
    (tmp_path / "train_signs.h5").unlink()
    with pytest.raises(FileNotFoundError, match="--regenerate"):
        datasets.load_signs()


def test_checksums_are_of_the_contents(tmp_path):
    X, Y = datasets.make_happy(3)
    datasets.write_h5(tmp_path / "a.h5", X, Y, np.array([0, 1]), "test")
    datasets.write_h5(tmp_path / "b.h5", X, Y, np.array([0, 1]), "test")
    assert (tmp_path / "a.h5").read_bytes() == (tmp_path / "b.h5").read_bytes()
    assert datasets._content_digest((X, Y)) != datasets._content_digest((X[:2], Y[:2]))


def test_convert_to_one_hot():
    one_hot = datasets.convert_to_one_hot(np.array([[1, 0, 2]]), 3)
    np.testing.assert_array_equal(one_hot, [[0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert datasets.convert_to_one_hot([0, 1], 2).shape == (2, 2)
    with pytest.raises(ValueError, match="labels in 0..2"):
        datasets.convert_to_one_hot(np.array([[3]]), 3)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, m\)"):
        datasets.convert_to_one_hot(np.zeros((2, 2), dtype=int), 3)
    with pytest.raises(TypeError, match="C must be an integer"):
        datasets.convert_to_one_hot([0], 2.0)
