"""The SIGNS look-alikes: the generator's contract, the source task it left behind, and the recipe check."""

import hashlib
import json

import numpy as np
import pytest
from test_training_scripts import _script  # pytest puts tests/ on the path

from course_utils import datasets, paths
from course_utils.synthetic import objects, signs


def test_draw_hand_is_a_seeded_photo_sized_image():
    first = signs.draw_hand(np.random.default_rng(3), 2)
    assert first.shape == (64, 64, 3) and first.dtype == np.uint8
    np.testing.assert_array_equal(first, signs.draw_hand(np.random.default_rng(3), 2))
    assert not np.array_equal(first, signs.draw_hand(np.random.default_rng(4), 2))


@pytest.mark.parametrize("count", [-1, 6, 2.0, True, "3"])
def test_draw_hand_names_a_bad_count(count):
    with pytest.raises(ValueError, match="count must be an integer from 0 to 5"):
        signs.draw_hand(np.random.default_rng(0), count)


def test_draw_hand_rejects_a_seed_in_place_of_a_generator():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator; got int"):
        signs.draw_hand(0, 1)


def test_walls_are_around_the_photos_colour():
    """The corners (wall, or the hand's shadow on it) average near the course photos' wall, RGB (195, 181, 169)."""
    X = datasets.load_signs()[0][:300].astype(float)
    corners = np.concatenate([X[:, :6, :6], X[:, :6, -6:]], axis=1).reshape(-1, 3).mean(axis=0)
    assert np.all(np.abs(corners - [195, 181, 169]) < 25), corners


def test_the_source_task_still_draws_the_cartoon_hands_the_base_was_trained_on():
    """objects.py kept SIGNS's first hand drawer when SIGNS moved on: its pictures are unchanged."""
    hands = [i for i, name in enumerate(objects.CLASS_NAMES) if name.startswith("hand")]
    pictures = np.stack([objects.draw(label, np.random.default_rng([7, k]), 96) for label in hands for k in range(2)])
    assert hashlib.sha256(pictures.tobytes()).hexdigest() == \
        "1a8e37d03eb7914dad6f153d3662418c65c845cde8fc182d8ab8df2ce2c53f95"


def test_per_class_accuracy():
    recipe = _script("check_signs_recipe")
    labels = np.array([0, 0, 1, 1, 2, 3, 4, 5])
    predicted = np.array([0, 1, 1, 1, 0, 3, 4, 4])
    assert recipe.per_class_accuracy(labels, predicted) == [0.5, 1.0, 0.0, 1.0, 1.0, 0.0]


def test_the_recorded_recipe_runs_belong_to_the_bundled_data():
    record = json.loads((paths.DATA_DIR / "signs_recipe.json").read_text())
    digest = _script("train_resnet_signs").signs_digest()
    assert record["signs_sha256"] == digest, "SIGNS changed since: run tools/check_signs_recipe.py again"
    assert [run["seed"] for run in record["runs"]] == [0, 1, 2]
    assert record["test_min"] == min(run["test"]["accuracy"] for run in record["runs"])
    assert record["test_min"] > 0.5  # far above chance (1/6): the course's recipe trains on these images


def test_recipe_script_runs_and_tests_on_a_course_format_folder(tmp_path, tf):
    """A one-epoch run on tiny settings; --real-test reads a folder in the course's layout."""
    X_train, Y_train, X_test, Y_test, classes = datasets.load_signs()
    folder = tmp_path / "course"
    folder.mkdir()
    datasets.write_h5(folder / "train_signs.h5", X_train[:12], Y_train[0, :12], classes, "train")
    datasets.write_h5(folder / "test_signs.h5", X_test[:30], Y_test[0, :30], classes, "test")
    out = tmp_path / "recipe.json"
    recipe = _script("check_signs_recipe")
    assert recipe.main(["--seeds", "0", "--epochs", "1", "--real-test", str(folder), "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    (run,) = record["runs"]
    assert len(run["real_test"]["per_class"]) == 6 and 0 <= run["real_test"]["accuracy"] <= 1
    assert record["real_test_min"] == run["real_test"]["accuracy"]
    assert "--real-test" in record["command"]
