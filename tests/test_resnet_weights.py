"""The shipped weights of notebook 2.6's residual network reach the accuracy their metadata states."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from course_utils import paths

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = paths.SIGNS_RESNET_WEIGHTS
METADATA = paths.SIGNS_RESNET_METADATA


def test_weights_are_small_and_documented():
    assert WEIGHTS.stat().st_size < 20 * 2**20
    metadata = json.loads(METADATA.read_text())
    assert metadata["model"] == "course_utils.resnet.small_resnet()"
    assert metadata["test_accuracy"] >= 0.95
    assert "tools/train_resnet_signs.py" in metadata["command"]


def test_weights_were_trained_on_the_bundled_signs():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import train_resnet_signs
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert json.loads(METADATA.read_text())["signs_sha256"] == train_resnet_signs.signs_digest(), (
        "data/signs changed since the weights were trained: run tools/train_resnet_signs.py again")


def test_reloaded_weights_reach_the_stated_accuracy(tf):
    from course_utils import resnet
    from course_utils.datasets import load_signs

    model, metadata = resnet.load_signs_resnet()
    _, _, X_test, Y_test, _ = load_signs()
    accuracy = float(np.mean(model.predict(X_test / 255.0, verbose=0).argmax(axis=1) == Y_test[0]))
    assert accuracy >= 0.95
    assert accuracy == pytest.approx(metadata["test_accuracy"], abs=0.01)


def test_the_weights_fit_a_network_built_from_other_blocks(tf):
    """Notebook 2.6 loads the shipped weights into the network built from the learner's blocks."""
    import keras
    from test_resnet_inception import _block_written_otherwise  # pytest puts tests/ on the path

    from course_utils import resnet
    from course_utils.datasets import load_signs

    reference, _ = resnet.load_signs_resnet()
    theirs, metadata = resnet.load_signs_resnet(convolutional_block=_block_written_otherwise(keras))
    X_test = load_signs()[2][:24] / 255.0
    np.testing.assert_allclose(theirs.predict(X_test, verbose=0), reference.predict(X_test, verbose=0), atol=1e-5)
    assert metadata["model"] == "course_utils.resnet.small_resnet()"
