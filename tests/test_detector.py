"""The detector of section 3.2: its loss, its augmentation, and the shipped weights' mAP."""

import json

import numpy as np
import pytest

from course_utils import paths
from course_utils.detection import box_math, detector
from course_utils.synthetic import driving

ANCHORS = np.array([[0.7, 1.3], [1.8, 1.5], [1.0, 2.8], [2.9, 2.5], [4.0, 4.5]], np.float32)


def _targets(seeds):
    data = [driving.make_scene(s) for s in seeds]
    return (np.stack([d[0] for d in data]),
            detector.encode_batch([d[1] for d in data], [d[2] for d in data], ANCHORS, 4))


def _perfect_prediction(targets):
    """Raw features that decode exactly to the targets, with confident objectness and classes."""
    S = targets.shape[1]
    obj = targets[..., 0:1]
    cols, rows = np.meshgrid(np.arange(S), np.arange(S))
    cell = np.stack([cols, rows], -1)[None, :, :, None, :]
    offset = np.clip(targets[..., 1:3] * S - cell, 1e-4, 1 - 1e-4)
    t_xy = np.log(offset / (1 - offset))
    wh = np.stack([targets[..., 4], targets[..., 3]], -1) * S
    t_wh = np.log(np.maximum(wh, 1e-6) / ANCHORS)
    t_o = np.where(obj > 0, 12.0, -12.0)
    logits = 12.0 * targets[..., 5:]
    feats = np.where(obj > 0, np.concatenate([t_xy, t_wh, t_o, logits], -1),
                     np.concatenate([np.zeros_like(t_xy), np.zeros_like(t_wh), t_o, 0 * logits], -1))
    return feats.reshape(*targets.shape[:3], -1).astype(np.float32)


def test_loss_is_near_zero_for_a_perfect_prediction_and_large_otherwise(tf):
    _, targets = _targets(range(4))
    targets = tf.constant(targets)
    total, parts = detector.yolo_loss(targets, _perfect_prediction(targets.numpy()), ANCHORS, 4)
    assert float(total) < 1e-2, {k: float(v) for k, v in parts.items()}
    noise = tf.random.stateless_normal((4, 12, 12, 45), seed=(0, 1))
    worse, worse_parts = detector.yolo_loss(targets, noise, ANCHORS, 4)
    assert float(worse) > 100 * float(total) + 1
    assert all(float(v) > 0 for v in worse_parts.values())


def test_flip_mirrors_the_targets(tf):
    images, targets = _targets([10])
    _, boxes, classes = driving.make_scene(10)
    mirrored = boxes.copy()
    mirrored[:, [1, 3]] = 96 - boxes[:, [3, 1]]
    flipped_images, flipped = detector._flip(tf.constant(images, tf.float32), tf.constant(targets))
    np.testing.assert_array_equal(flipped_images.numpy()[0], images[0, :, ::-1])
    got, got_classes = box_math.decode_targets(flipped.numpy()[0], (96, 96))
    order = np.lexsort((got[:, 1], got[:, 0]))
    expected_order = np.lexsort((mirrored[:, 1], mirrored[:, 0]))
    np.testing.assert_allclose(got[order], mirrored[expected_order], atol=1e-4)
    np.testing.assert_array_equal(got_classes[order], classes[expected_order])


def test_detector_output_matches_yolo_head(tf):
    model = detector.build_detector(5, 4)
    assert model.output_shape == (None, 12, 12, 45)
    with pytest.raises(ValueError, match="image_size must be a multiple of 16"):
        detector.build_detector(5, 4, image_size=100)


def test_shipped_weights_reach_the_stated_map_on_the_test_split():
    stated = json.loads((paths.DETECTOR_DIR / "training.json").read_text())
    assert (paths.DETECTOR_DIR / detector.WEIGHTS_FILE).stat().st_size < 20 * 2**20
    model, anchors, class_names = detector.load_detector()
    assert class_names == list(driving.CLASS_NAMES)
    mAP, per_class = detector.evaluate(model, anchors, "test")
    assert mAP >= 0.80, per_class
    assert mAP == pytest.approx(stated["test_mAP50"], abs=0.01)
    assert np.all(per_class >= 0.6), per_class


def test_load_detector_explains_missing_weights(tmp_path):
    (tmp_path / "anchors.txt").write_text("1, 1, 2, 2\n")
    (tmp_path / "classes.txt").write_text("car\n")
    with pytest.raises(FileNotFoundError, match=r"detector's weights not found.*`python tools/train_detector.py`"):
        detector.load_detector(tmp_path)


def test_detect_runs_a_learners_yolo_eval_on_each_image(tf):
    from course_utils import yolo

    model, anchors, _ = detector.load_detector()
    images, _, _ = driving.make_split("test", 6)
    calls = []

    def yolo_eval(yolo_outputs, image_shape=(720.0, 1280.0), max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
        calls.append((tuple(yolo_outputs[0].shape), image_shape, max_boxes, score_threshold, iou_threshold))
        return yolo.yolo_eval(yolo_outputs, image_shape, max_boxes, score_threshold, iou_threshold)

    theirs = detector.detect(model, anchors, images, 0.2, 0.4, 15, eval_fn=yolo_eval)
    reference = detector.detect(model, anchors, images, 0.2, 0.4, 15, per_class=False)
    assert calls == [((12, 12, 5, 2), (96.0, 96.0), 15, 0.2, 0.4)] * 6
    for (boxes, scores, classes), (ref_boxes, ref_scores, ref_classes) in zip(theirs, reference, strict=True):
        np.testing.assert_allclose(boxes, ref_boxes, rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(scores, ref_scores, rtol=1e-5)
        np.testing.assert_array_equal(classes, ref_classes)
    with pytest.raises(ValueError, match="per_class applies to the built-in yolo_eval only"):
        detector.detect(model, anchors, images, eval_fn=yolo_eval, per_class=True)
    with pytest.raises(TypeError, match="eval_fn must return the tuple \\(scores, boxes, classes\\).* of length 2"):
        detector.detect(model, anchors, images, eval_fn=lambda *args: yolo_eval(*args)[:2])
    with pytest.raises(TypeError, match="eval_fn must be a function like yolo_eval; got str"):
        detector.detect(model, anchors, images, eval_fn="yolo_eval")


def test_box_sizes_in_cells():
    sizes = detector.box_sizes_in_cells([[0, 0, 16, 8], [10, 20, 34, 68]])
    np.testing.assert_allclose(sizes, [[1, 2], [6, 3]])  # 8 pixels per cell: (width, height)
