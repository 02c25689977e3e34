"""The training scripts run end to end on tiny settings and write weights that reload.

The shipped weights themselves are checked in test_detector, test_face and test_resnet_weights;
these tests make sure that the scripts which produced them still work, so that anybody can
retrain. A short run cannot reach the shipped accuracy, so the tests check what a short run
does promise: every file is written, the weights reload into the documented model, and the
metrics written agree with the reloaded weights.
"""

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _script(name):
    sys.path.insert(0, str(TOOLS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(TOOLS))


def test_train_resnet_signs_writes_weights_that_match_their_metadata(tmp_path, tf, capsys):
    from course_utils import resnet
    from course_utils.datasets import load_signs

    assert _script("train_resnet_signs").main(["--epochs", "1", "--out", str(tmp_path)]) == 0
    metadata = json.loads((tmp_path / "small_resnet_signs.json").read_text())
    assert metadata["epochs"] == 1 and metadata["command"].endswith("--epochs 1 --out " + str(tmp_path))
    model = resnet.small_resnet()
    model.load_weights(tmp_path / "small_resnet_signs.weights.h5")
    _, _, X_test, Y_test, _ = load_signs()
    accuracy = float(np.mean(model.predict(X_test / 255.0, verbose=0).argmax(axis=1) == Y_test[0]))
    assert accuracy == pytest.approx(metadata["test_accuracy"], abs=1e-3)
    assert "epoch   1:" in capsys.readouterr().out


def test_train_detector_writes_a_loadable_detector(tmp_path, tf):
    from course_utils.detection import detector

    assert _script("train_detector").main(["--epochs", "1", "--n-train", "64", "--anchors", "3",
                                           "--out", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} >= {"detector.weights.h5", "anchors.txt", "classes.txt",
                                                    "training.json"}
    training = json.loads((tmp_path / "training.json").read_text())
    assert 0.0 <= training["test_mAP50"] <= 1.0
    model, anchors, class_names = detector.load_detector(tmp_path)
    assert anchors.shape == (3, 2) and len(class_names) == 4
    mAP, _ = detector.evaluate(model, anchors, "test")
    assert mAP == pytest.approx(training["test_mAP50"], abs=1e-3)


def test_train_face_encoder_writes_an_encoder_and_its_metrics(tmp_path, tf, capsys):
    from course_utils import face

    out = tmp_path / "encoder.weights.h5"
    _script("train_face_encoder").main(["--identities", "20", "--photos", "4", "--steps", "4",
                                        "--out", str(out), "--cache-dir", str(tmp_path)])
    assert (tmp_path / "face_train_20x4.npz").exists()
    assert not list(tmp_path.glob("best_so_far.*")), "the temporary best-weights file should be removed"
    model, metrics = face.load_encoder(out)
    assert metrics["training"]["steps"] == 4 and metrics["training"]["best_step"] == 4
    for group in ("test", "test_raw_pixels"):
        assert 0.0 <= metrics[group]["auc"] <= 1.0
    assert metrics["threshold"] == metrics["validation"]["threshold"] > 0
    assert "test:" in capsys.readouterr().out


def test_train_mobilenet_base_writes_a_base_that_reloads_with_its_record(tmp_path, tf, capsys):
    from course_utils import transfer

    assert _script("train_mobilenet_base").main(["--n-train", "86", "--n-held-out", "43", "--check-images", "43",
                                                 "--epochs", "1", "--batch-size", "43", "--cache-dir", str(tmp_path),
                                                 "--out", str(tmp_path)]) == 0
    record = transfer.load_base_record(tmp_path / "mobilenet_base.json")
    assert record["epochs"] == 1 and record["train_pictures"] == 86 and len(record["per_epoch"]) == 1
    assert record["command"].endswith("--out " + str(tmp_path))
    model = transfer.load_source_classifier(tmp_path)
    X, y = _script("train_mobilenet_base").source_pictures(43, record["held_out_seed"], tmp_path)
    accuracy = float(np.mean(model.predict(X, verbose=0).argmax(axis=1) == y))
    assert accuracy == pytest.approx(record["check_accuracy"], abs=1e-3)
    assert "epoch  1:" in capsys.readouterr().out


def test_measure_transfer_writes_a_grid_with_its_settings(tmp_path, tf):
    out = tmp_path / "grid.json"
    assert _script("measure_transfer").main(["--seeds", "0", "--epochs", "1", "0", "--n-images", "20", "--n-test", "10",
                                             "--configurations", "frozen", "--long-scratch", "0",
                                             "--out", str(out)]) == 0
    grid = json.loads(out.read_text())
    assert grid["data"]["training_folder_pictures"] == 20 and grid["training"]["epochs"] == [1, 0]
    assert list(grid["summary"]) == ["frozen"] and grid["summary"]["frozen"]["runs"] == 1
    run = grid["runs"][0]
    assert 0.0 <= run["test_accuracy"] <= 1.0 and len(run["history"]["val_accuracy"]) == 1
