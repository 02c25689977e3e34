"""The shipped MobileNetV2 base of notebook 2.7 is small, documented, and reaches the accuracy its record states."""

import json

import numpy as np
import pytest

from course_utils import paths


def test_weights_are_small_and_documented():
    assert paths.MOBILENET_BASE_WEIGHTS.stat().st_size + paths.MOBILENET_HEAD_WEIGHTS.stat().st_size < 6 * 2**20
    record = json.loads(paths.MOBILENET_RECORD.read_text())
    assert "tools/train_mobilenet_base.py" in record["command"]
    assert record["base_parameters"] == 410_208 and record["base_layers"] == 154
    assert record["training_seconds"] > 0 and record["held_out_accuracy"] >= 0.8
    from course_utils.synthetic import objects

    assert record["classes"] == list(objects.CLASS_NAMES), "the source classes changed since the base was trained"


def test_reloaded_base_reaches_the_recorded_source_accuracy(tf):
    from course_utils import transfer
    from course_utils.synthetic import objects

    record = transfer.load_base_record()
    model = transfer.load_source_classifier()
    X, y = objects.make_dataset(record["check_images"], seed=record["held_out_seed"])
    accuracy = float(np.mean(model.predict(X, batch_size=128, verbose=0).argmax(axis=1) == y))
    assert accuracy == pytest.approx(record["check_accuracy"], abs=0.005)
    assert accuracy >= 0.8


def test_base_loads_at_other_sizes_and_only_imagenet_would_download(tf, monkeypatch):
    import keras

    from course_utils import transfer

    real = keras.applications.MobileNetV2
    asked = []

    def recording(**kwargs):
        asked.append(kwargs["weights"])
        return real(**kwargs) if kwargs["weights"] is None else None  # never download in a test

    monkeypatch.setattr(keras.applications, "MobileNetV2", recording)
    base = transfer.load_mobilenet_base((64, 64, 3))
    assert base.name == transfer.BASE_NAME and tuple(base.output.shape[1:]) == (2, 2, 1280)
    shipped = transfer.load_mobilenet_base()
    for got, expected in zip(base.get_weights(), shipped.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)
    transfer.alpaca_model()
    assert asked == [None, None, None], "the shipped base is built with weights=None, then loaded from data/"
    transfer.load_mobilenet_base(weights="imagenet")
    assert asked[-1] == "imagenet"


def test_missing_or_wrong_weights_say_what_to_do(tmp_path):
    from course_utils import transfer

    with pytest.raises(FileNotFoundError, match="python tools/train_mobilenet_base.py"):
        transfer.load_mobilenet_base(weights=tmp_path / "none.weights.h5")
    with pytest.raises(TypeError, match="weights must be 'shipped', None, 'imagenet' or a path; got int"):
        transfer.load_mobilenet_base(weights=3)
    with pytest.raises(ValueError, match="input_shape must describe RGB pictures"):
        transfer.load_mobilenet_base((96, 96, 1))
