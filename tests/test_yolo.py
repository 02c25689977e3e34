"""course_utils.yolo and course_utils.detection.box_math: TensorFlow oracles for IoU and non-max
suppression, the YOLO pipeline on eager tensors and inside tf.function, target encoding,
k-means anchors, mAP, drawing, and the errors bad input gives."""

import re

import numpy as np
import pytest

from course_utils import checks, yolo
from course_utils.checks import yolo as yolo_checks
from course_utils.detection import box_math

COCO_ANCHORS = "0.57273, 0.677385, 1.87446, 2.06253, 3.33843, 5.47434, 7.88282, 3.52778, 9.77052, 9.16828\n"


# --------------------------------------------------------------------------------------------
# IoU


def test_iou_course_example_and_special_cases():
    assert yolo.iou((2, 1, 4, 3), (1, 2, 3, 4)) == pytest.approx(1 / 7)
    assert yolo.iou((1, 2, 3, 4), (5, 6, 7, 8)) == 0.0
    assert yolo.iou((1, 1, 2, 2), (2, 2, 3, 3)) == 0.0
    assert yolo.iou((0, 0, 4, 4), (1, 1, 2, 3)) == pytest.approx(2 / 16)
    assert yolo.iou((0, 0, 2, 3), (0, 0, 2, 3)) == 1.0
    assert yolo.iou((1, 1, 1, 1), (1, 1, 1, 1)) == 0.0  # empty union: defined as 0


def test_iou_matrix_equals_the_readable_iou():
    rng = np.random.default_rng(0)
    a, b = yolo_checks.random_boxes(rng, 7), yolo_checks.random_boxes(rng, 5)
    expected = [[yolo.iou(p, q) for q in b] for p in a]
    np.testing.assert_allclose(box_math.iou_matrix(a, b), expected, rtol=1e-12)


def test_iou_against_tensorflow(tf):
    """TF does not expose its IoU, but its NMS keeps the second of two boxes exactly when their
    IoU is not above the threshold: bracketing our IoU by +-1e-4 must flip TF's decision."""
    rng = np.random.default_rng(1)
    boxes = yolo_checks.random_boxes(rng, 80).reshape(40, 2, 4)
    scores = tf.constant([0.9, 0.8])
    checked = 0
    for pair in boxes:
        value = yolo.iou(pair[0], pair[1])
        if value < 2e-4:
            continue
        below = tf.image.non_max_suppression(pair, scores, 2, iou_threshold=value - 1e-4).numpy()
        above = tf.image.non_max_suppression(pair, scores, 2, iou_threshold=value + 1e-4).numpy()
        assert below.tolist() == [0] and above.tolist() == [0, 1], value
        checked += 1
    assert checked >= 10


# --------------------------------------------------------------------------------------------
# Non-max suppression


def test_numpy_nms_returns_tensorflows_indices(tf):
    rng = np.random.default_rng(2)
    for trial in range(150):
        n = int(rng.integers(1, 60))
        boxes = yolo_checks.random_boxes(rng, n, size=100.0)
        scores = rng.uniform(0, 1, n).astype(np.float32)
        max_out = int(rng.integers(1, 25))
        threshold = float(rng.uniform(0.05, 0.95))
        score_threshold = float(rng.uniform(0, 0.5)) if trial % 2 else float("-inf")
        expected = tf.image.non_max_suppression(boxes, scores, max_out, threshold, score_threshold).numpy()
        got = box_math.non_max_suppression(boxes, scores, max_out, threshold, score_threshold)
        assert got.tolist() == expected.tolist(), trial


def test_nms_keeps_a_box_whose_iou_equals_the_threshold(tf):
    """The notes say 'discard IoU >= threshold'; TensorFlow (and the project) discard only IoU > threshold."""
    boxes = np.array([[0, 0, 2, 2], [0, 0, 2, 1]], np.float32)  # IoU exactly 0.5
    scores = np.array([0.9, 0.8], np.float32)
    assert tf.image.non_max_suppression(boxes, scores, 2, 0.5).numpy().tolist() == [0, 1]
    assert box_math.non_max_suppression(boxes, scores, 2, 0.5).tolist() == [0, 1]
    assert box_math.non_max_suppression(boxes, scores, 2, 0.49).tolist() == [0]


def test_per_class_nms_numpy_and_tensorflow_agree():
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(2, 40))
        boxes = yolo_checks.random_boxes(rng, n, size=50.0)
        scores = rng.uniform(0, 1, n).astype(np.float32)
        classes = rng.integers(0, 3, n)
        keep = box_math.non_max_suppression(boxes, scores, 15, 0.4, classes=classes)
        tf_scores, tf_boxes, tf_classes = yolo.yolo_non_max_suppression(scores, boxes, classes, 15, 0.4,
                                                                        per_class=True)
        np.testing.assert_array_equal(tf_scores.numpy(), scores[keep])
        np.testing.assert_array_equal(tf_boxes.numpy(), boxes[keep])
        np.testing.assert_array_equal(tf_classes.numpy(), classes[keep])
        agnostic = box_math.non_max_suppression(boxes, scores, 15, 0.4)
        s, _, _ = yolo.yolo_non_max_suppression(scores, boxes, classes, 15, 0.4)
        np.testing.assert_array_equal(s.numpy(), scores[agnostic])
        # per class never removes more than class-agnostic suppression
        assert len(keep) >= len(agnostic) or len(keep) == 15


def test_per_class_keeps_overlapping_boxes_of_different_classes():
    boxes = np.array([[0, 0, 10, 10], [0, 0, 10, 9]], np.float32)
    scores, classes = np.array([0.9, 0.8], np.float32), np.array([0, 1])
    assert box_math.non_max_suppression(boxes, scores, 5, 0.5).tolist() == [0]
    assert box_math.non_max_suppression(boxes, scores, 5, 0.5, classes=classes).tolist() == [0, 1]


# --------------------------------------------------------------------------------------------
# The pipeline


def test_yolo_head_on_the_yolov2_layout(tmp_path, tf):
    (tmp_path / "anchors.txt").write_text(COCO_ANCHORS)
    (tmp_path / "classes.txt").write_text("\n".join(f"class {i}" for i in range(80)) + "\n")
    anchors, names = yolo.read_anchors(tmp_path / "anchors.txt"), yolo.read_classes(tmp_path / "classes.txt")
    assert anchors.shape == (5, 2) and len(names) == 80
    feats = tf.random.stateless_normal((2, 19, 19, 425), seed=(1, 2))
    box_xy, box_wh, conf, probs = yolo.yolo_head(feats, anchors, len(names))
    assert box_xy.shape == box_wh.shape == (2, 19, 19, 5, 2)
    assert conf.shape == (2, 19, 19, 5, 1) and probs.shape == (2, 19, 19, 5, 80)
    raw = feats.numpy().reshape(2, 19, 19, 5, 85)
    i, row, col, a = 1, 7, 12, 3
    sigmoid = 1 / (1 + np.exp(-raw[i, row, col, a]))
    np.testing.assert_allclose(box_xy[i, row, col, a], (sigmoid[:2] + [col, row]) / 19, rtol=1e-5)
    np.testing.assert_allclose(box_wh[i, row, col, a], anchors[a] * np.exp(raw[i, row, col, a, 2:4]) / 19, rtol=1e-5)
    np.testing.assert_allclose(conf[i, row, col, a, 0], sigmoid[4], rtol=1e-5)
    np.testing.assert_allclose(tf.reduce_sum(probs, -1), 1.0, rtol=1e-5)


def test_yolo_head_inside_tf_function_with_unknown_grid(tf):
    anchors = np.array([[1.0, 2.0], [3.0, 1.5], [0.5, 0.5]])
    head = tf.function(lambda f: yolo.yolo_head(f, anchors, 2),
                       input_signature=[tf.TensorSpec([None, None, None, 21], tf.float32)])
    for grid in [(4, 6), (13, 13)]:
        xy, wh, conf, probs = head(tf.zeros((1, *grid, 21)))
        assert xy.shape == (1, *grid, 3, 2) and probs.shape == (1, *grid, 3, 2)
        np.testing.assert_allclose(xy[0, -1, -1, 0], [(grid[1] - 0.5) / grid[1], (grid[0] - 0.5) / grid[0]], rtol=1e-6)
        np.testing.assert_allclose(wh[0, 0, 0, 1], [3.0 / grid[1], 1.5 / grid[0]], rtol=1e-6)


def test_boxes_to_corners_and_scale():
    corners = yolo.yolo_boxes_to_corners(np.array([[0.5, 0.25]]), np.array([[0.2, 0.1]]))
    np.testing.assert_allclose(corners, [[0.2, 0.4, 0.3, 0.6]], rtol=1e-6)
    np.testing.assert_allclose(yolo.scale_boxes(corners, (720.0, 1280.0)), [[144, 512, 216, 768]], rtol=1e-5)


def test_filter_boxes_keeps_scores_at_or_above_the_threshold():
    boxes, conf, probs, threshold = yolo_checks.yolo_filter_boxes_cases()[0].args
    scores, kept_boxes, classes = yolo.yolo_filter_boxes(boxes, conf, probs, threshold)
    box_scores = conf.numpy() * probs.numpy()
    best = box_scores.max(-1)
    mask = best >= threshold
    np.testing.assert_array_equal(scores.numpy(), best[mask])
    np.testing.assert_array_equal(kept_boxes.numpy(), boxes.numpy()[mask])
    np.testing.assert_array_equal(classes.numpy(), box_scores.argmax(-1)[mask])
    assert classes.dtype.name == "int64" and 0 < mask.sum() < mask.size
    # a score exactly at the threshold is kept
    s, _, _ = yolo.yolo_filter_boxes(np.zeros((1, 4)), np.full((1, 1), 0.5), np.array([[0.25, 0.75]]), 0.375)
    assert s.numpy().tolist() == [0.375]


def test_yolo_eval_course_shapes_eager_and_in_tf_function(tf):
    outputs = yolo_checks.random_head_outputs(7)
    scores, boxes, classes = yolo.yolo_eval(outputs)
    assert scores.shape == (10,) and boxes.shape == (10, 4) and classes.shape == (10,)
    assert np.all(np.diff(scores.numpy()) <= 0) and scores.numpy().min() >= 0.6
    # stage by stage equals the composed function
    corners = yolo.yolo_boxes_to_corners(outputs[0], outputs[1])
    s, b, c = yolo.yolo_filter_boxes(corners, outputs[2], outputs[3], 0.6)
    b = yolo.scale_boxes(b, (720.0, 1280.0))
    keep = box_math.non_max_suppression(b.numpy(), s.numpy(), 10, 0.5)
    np.testing.assert_allclose(boxes.numpy(), b.numpy()[keep], rtol=1e-6)
    compiled = tf.function(lambda *o: yolo.yolo_eval(o, (720.0, 1280.0), 10, 0.6, 0.5))
    s2, b2, c2 = compiled(*outputs)
    np.testing.assert_allclose(b2.numpy(), boxes.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(c2.numpy(), classes.numpy())


# --------------------------------------------------------------------------------------------
# Encoding, anchors, mAP, drawing


def test_encode_decode_round_trip_on_scenes():
    from course_utils.synthetic import driving

    anchors = np.array([[0.6, 1.6], [1.3, 1.0], [2.1, 2.0], [3.2, 2.8], [4.2, 5.0]])
    for seed in range(20):
        image, boxes, classes = driving.make_scene(seed)
        volume = box_math.encode_targets(boxes, classes, anchors, 12, 4, image.shape[:2])
        assert volume.shape == (12, 12, 5, 9)
        assert volume[..., 0].sum() == len(boxes)  # nothing lost on these scenes
        np.testing.assert_array_equal(volume[..., 5:].sum(-1), volume[..., 0])
        back, back_classes = box_math.decode_targets(volume, image.shape[:2])
        order = np.lexsort((back[:, 1], back[:, 0]))
        np.testing.assert_allclose(back[order], boxes, atol=1e-4)
        np.testing.assert_array_equal(back_classes[order], classes)


def test_encode_puts_the_object_in_its_cell_and_best_anchor():
    anchors = np.array([[1.0, 1.0], [1.0, 3.0]])
    # a tall box (2 x 6 px, i.e. 1 x 3 cells on a 2-px grid of 5 cells), centre at x=5, y=3
    volume = box_math.encode_targets([[0, 4, 6, 6]], [1], anchors, 5, 2, (10, 10))
    assert np.argwhere(volume[..., 0]).tolist() == [[1, 2, 1]]  # row 1, column 2, anchor 1
    np.testing.assert_allclose(volume[1, 2, 1], [1, 0.5, 0.3, 0.6, 0.2, 0, 1])
    # a second object in the same cell with the same shape takes the other anchor
    volume = box_math.encode_targets([[0, 4, 6, 6], [1, 4, 5, 6]], [1, 0], anchors, 5, 2, (10, 10))
    assert volume[1, 2, :, 0].tolist() == [1, 1]


def test_kmeans_anchors_recovers_clusters():
    rng = np.random.default_rng(4)
    shapes = np.array([[1, 3], [4, 2], [8, 8]], float)
    wh = np.concatenate([s * rng.uniform(0.95, 1.05, (50, 2)) for s in shapes])
    anchors, mean_iou = box_math.kmeans_anchors(wh, 3)
    np.testing.assert_allclose(anchors, shapes, rtol=0.05)
    assert mean_iou > 0.9
    _, one = box_math.kmeans_anchors(wh, 1)
    assert one < mean_iou


def test_euclidean_kmeans_spends_its_anchors_on_the_large_boxes():
    # 100 small boxes of two shapes, 20 large boxes of two shapes; three anchors
    rng = np.random.default_rng(0)
    shapes = [([0.5, 1], 50), ([1, 0.5], 50), ([8, 16], 10), ([16, 8], 10)]
    wh = np.concatenate([np.tile([shape], (n, 1)) for shape, n in shapes]) * rng.uniform(0.97, 1.03, (120, 2))
    by_iou, fit_iou = box_math.kmeans_anchors(wh, 3, seed=3)
    by_distance, fit_distance = box_math.kmeans_anchors(wh, 3, seed=3, metric="euclidean")
    np.testing.assert_allclose(by_iou, [[1, 0.5], [0.5, 1], [12, 12]], rtol=0.02)  # the small shapes split
    np.testing.assert_allclose(by_distance, [[0.75, 0.75], [8, 16], [16, 8]], rtol=0.02)  # the large ones split
    small_iou, small_distance = (box_math.anchor_iou(wh[:100], a).max(1).mean() for a in (by_iou, by_distance))
    assert small_iou > 0.95 > 0.6 > small_distance and fit_iou > fit_distance
    with pytest.raises(ValueError, match="metric must be 'iou' or 'euclidean'; got 'l1'"):
        box_math.kmeans_anchors(wh, 3, metric="l1")


def test_average_precision_by_hand():
    # 3 true boxes; detections by score: hit, miss, hit -> precision 1, 1/2, 2/3 at recall 1/3, 1/3, 2/3
    assert box_math.average_precision([0.9, 0.8, 0.7], [True, False, True], 3) == pytest.approx(
        1 / 3 * 1 + 1 / 3 * 2 / 3)
    assert np.isnan(box_math.average_precision([], [], 0))


def test_map_perfect_duplicate_and_wrong_class():
    truths = [(np.array([[0, 0, 10, 10], [20, 20, 30, 40]]), np.array([0, 1]))]
    perfect = [(truths[0][0], np.array([0.9, 0.8]), np.array([0, 1]))]
    assert box_math.mean_average_precision(perfect, truths, 3)[0] == 1.0
    per_class = box_math.mean_average_precision(perfect, truths, 3)[1]
    assert np.isnan(per_class[2])
    duplicate = [(np.array([[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 40]]), np.array([0.9, 0.95, 0.8]),
                  np.array([0, 0, 1]))]
    hits = box_math.match_detections(*duplicate[0], *truths[0])
    assert hits.tolist() == [False, True, True]
    wrong = [(truths[0][0], np.array([0.9, 0.8]), np.array([1, 0]))]
    assert box_math.mean_average_precision(wrong, truths, 3)[0] == 0.0
    assert box_math.precision_recall(duplicate, truths) == (pytest.approx(2 / 3), 1.0)


def test_draw_boxes_draws_in_the_class_colour():
    image = np.zeros((20, 30, 3), np.uint8)
    out = box_math.draw_boxes(image, [[5, 5, 15, 25]], [1], ["car", "truck"], scores=[0.87], scale=4)
    assert out.shape == (80, 120, 3) and out.dtype == np.uint8
    assert tuple(out[40, 20]) == box_math._PALETTE[1]  # left edge of the box
    assert out[30:50, 30:90].max() == 0  # inside stays untouched


def test_scenes_are_seeded_and_splits_disjoint():
    from course_utils.synthetic import driving

    a, b = driving.make_scene(123), driving.make_scene(123)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    image, boxes, classes = a
    assert image.shape == (96, 96, 3) and image.dtype == np.uint8
    assert np.all(boxes[:, :2] >= 0) and np.all(boxes[:, 2:] <= 96) and np.all(boxes[:, 2:] > boxes[:, :2])
    ranges = [range(first, first + n) for first, n in driving.SPLITS.values()]
    assert all(r1.stop <= r2.start for r1, r2 in zip(ranges, ranges[1:], strict=False))
    _, _, cls = driving.make_split("val", 60)
    assert set(np.concatenate(cls).tolist()) == {0, 1, 2, 3}


# --------------------------------------------------------------------------------------------
# Checkers


@pytest.mark.parametrize("name", [f"check_{name}" for name in checks.EXERCISES["yolo"]])
def test_yolo_checkers_accept_the_reference(name, capsys):
    assert getattr(checks, name)(getattr(yolo, name.removeprefix("check_")), verbose=False) is True
    assert "well done" in capsys.readouterr().out


def _iou_clipping(clip):
    """The course's iou with the intersection's sides clipped at 0 as ``clip`` says."""
    def iou(box1, box2):
        width = min(box1[2], box2[2]) - max(box1[0], box2[0])
        height = min(box1[3], box2[3]) - max(box1[1], box2[1])
        inter = {"none": width * height, "product": max(width * height, 0), "width": max(width, 0) * height,
                 "height": width * max(height, 0)}[clip]
        union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1]) - inter
        return inter / union
    return iou


def _filter(strict=False, use_confidence=True, fixed_threshold=None):
    import tensorflow as tf

    def yolo_filter_boxes(boxes, box_confidence, box_class_probs, threshold=0.6):
        threshold = threshold if fixed_threshold is None else fixed_threshold
        scores = box_confidence * box_class_probs if use_confidence else box_class_probs
        best = tf.reduce_max(scores, -1)
        mask = best > threshold if strict else best >= threshold
        return tf.boolean_mask(best, mask), tf.boolean_mask(boxes, mask), tf.boolean_mask(tf.argmax(scores, -1), mask)
    return yolo_filter_boxes


def _nms(fixed_max=None, fixed_iou=None, per_class=False, suppress_equal=False):
    import tensorflow as tf

    def yolo_non_max_suppression(scores, boxes, classes, max_boxes=10, iou_threshold=0.5):
        max_boxes, iou_threshold = fixed_max or max_boxes, fixed_iou or iou_threshold
        if per_class:
            return yolo.yolo_non_max_suppression(scores, boxes, classes, max_boxes, iou_threshold, per_class=True)
        if suppress_equal:  # a hand-written greedy NMS that drops IoU >= threshold
            overlaps, kept = box_math.iou_matrix(boxes.numpy(), boxes.numpy()), []
            for i in np.argsort(-scores.numpy(), kind="stable"):
                if len(kept) < max_boxes and all(overlaps[i, k] < iou_threshold for k in kept):
                    kept.append(i)
            index = tf.constant(kept, tf.int32)
        else:
            index = tf.image.non_max_suppression(boxes, scores, max_boxes, iou_threshold=iou_threshold)
        return tf.gather(scores, index), tf.gather(boxes, index), tf.gather(classes, index)
    return yolo_non_max_suppression


def _eval(swap_shape=False, fixed_max=None, fixed_score=None, fixed_iou=None):
    def yolo_eval(yolo_outputs, image_shape=(720.0, 1280.0), max_boxes=10, score_threshold=0.6, iou_threshold=0.5):
        box_xy, box_wh, box_confidence, box_class_probs = yolo_outputs
        boxes = yolo.yolo_boxes_to_corners(box_xy, box_wh)
        scores, boxes, classes = yolo.yolo_filter_boxes(boxes, box_confidence, box_class_probs,
                                                        fixed_score or score_threshold)
        boxes = yolo.scale_boxes(boxes, image_shape[::-1] if swap_shape else image_shape)
        return yolo.yolo_non_max_suppression(scores, boxes, classes, fixed_max or max_boxes, fixed_iou or iou_threshold)
    return yolo_eval


MISTAKES = [  # (exercise, mistake, cases that must fail, a phrase of the hint printed)
    ("iou", _iou_clipping("none"), [2, 5, 6], "clip the intersection's width and height at 0"),
    ("iou", _iou_clipping("product"), [2], "clip the intersection's width and height at 0"),
    ("iou", _iou_clipping("width"), [5], "clip the width and the height each at 0"),
    ("iou", _iou_clipping("height"), [6], "clip the width and the height each at 0"),
    ("yolo_filter_boxes", _filter(strict=True), [4], "score >= threshold, as the course does, not > threshold"),
    ("yolo_filter_boxes", _filter(use_confidence=False), [1, 2, 3, 4], "score = confidence * class probability"),
    ("yolo_filter_boxes", _filter(fixed_threshold=0.6), [1, 2, 4], "score = confidence * class probability"),
    ("yolo_non_max_suppression", _nms(fixed_max=10), [2, 3], "Pass on max_boxes and iou_threshold"),
    ("yolo_non_max_suppression", _nms(fixed_iou=0.5), [2], "Pass on max_boxes and iou_threshold"),
    ("yolo_non_max_suppression", _nms(per_class=True), [2, 3], "the course's NMS ignores the classes"),
    ("yolo_non_max_suppression", _nms(suppress_equal=True), [4], "IoU with a kept box is > iou_threshold, not >="),
    ("yolo_eval", _eval(swap_shape=True), [1], "image_shape = (height, width)"),
    ("yolo_eval", _eval(fixed_max=10), [2, 3, 4], "pass max_boxes on"),
    ("yolo_eval", _eval(fixed_score=0.6), [3], "pass score_threshold on"),
    ("yolo_eval", _eval(fixed_iou=0.5), [4], "pass iou_threshold on"),
]


@pytest.mark.parametrize("name,mistake,failing,hint", MISTAKES,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_each_usual_yolo_mistake_fails_its_cases_with_its_hint(name, mistake, failing, hint, capsys, tf):
    assert checks.checker(name)(mistake, verbose=False) is False
    out = capsys.readouterr().out
    failed = [int(number) for number in re.findall(r"^FAIL case (\d+) ", out, re.M)]
    assert failed == failing, out
    assert hint in out, out


# --------------------------------------------------------------------------------------------
# Bad input

RNG = np.random.default_rng(5)
FEATS = RNG.standard_normal((1, 4, 4, 3 * 7)).astype(np.float32)
ANCHORS = np.array([[1.0, 1.0], [2.0, 1.0], [1.0, 2.0]])
BOXES = yolo_checks.random_boxes(RNG, 6)
SCORES = RNG.uniform(0, 1, 6).astype(np.float32)
CLASSES = RNG.integers(0, 2, 6)
NEGATIVE = np.array([[0, 0, 1, 1], [0, 5, 1, 2]], np.float32)

BAD_CALLS = [
    (lambda: yolo.yolo_head(FEATS[0], ANCHORS, 2), ValueError, r"feats must be a rank-4 tensor .*got rank 3"),
    (lambda: yolo.yolo_head(FEATS, ANCHORS, 3), ValueError,
     r"feats has depth 21 .* 3 anchors and num_classes=3 need A \* \(5 \+ C\) = 24"),
    (lambda: yolo.yolo_head(FEATS, ANCHORS[:2], 2), ValueError, r"2 anchors and num_classes=2 need .* = 14"),
    (lambda: yolo.yolo_head(FEATS, ANCHORS.ravel(), 2), ValueError, r"anchors must be a 2-D array"),
    (lambda: yolo.yolo_head(FEATS, ANCHORS, 0), ValueError, r"num_classes must be an integer >= 1"),
    (lambda: yolo.yolo_head("feats", ANCHORS, 2), TypeError, r"feats must be a numeric tensor"),
    (lambda: yolo.yolo_boxes_to_corners(np.zeros((3, 3)), np.zeros((3, 3))), ValueError,
     r"box_xy must have shape \(\.\.\., 2\)"),
    (lambda: yolo.yolo_boxes_to_corners(np.zeros((3, 2)), np.zeros((4, 2))), ValueError,
     r"box_xy and box_wh must have the same shape"),
    (lambda: yolo.yolo_filter_boxes(BOXES, SCORES[:, None], np.ones((6, 2)), 1.5), ValueError,
     r"threshold must be in \[0, 1\]; got 1.5"),
    (lambda: yolo.yolo_filter_boxes(BOXES, SCORES[:, None], np.ones((6, 2)), -0.1), ValueError,
     r"threshold must be in \[0, 1\]"),
    (lambda: yolo.yolo_filter_boxes(BOXES[:, :3], SCORES[:, None], np.ones((6, 2))), ValueError,
     r"boxes must have shape \(\.\.\., 4\)"),
    (lambda: yolo.yolo_filter_boxes(BOXES, SCORES[:5, None], np.ones((6, 2))), ValueError,
     r"boxes and box_confidence must describe the same boxes"),
    (lambda: yolo.yolo_non_max_suppression(SCORES, BOXES, CLASSES, 10, 2.0), ValueError,
     r"iou_threshold must be in \[0, 1\]; got 2.0"),
    (lambda: yolo.yolo_non_max_suppression(SCORES[:, None], BOXES, CLASSES), ValueError,
     r"scores must be a rank-1 tensor"),
    (lambda: yolo.yolo_non_max_suppression(SCORES[:4], BOXES, CLASSES), ValueError,
     r"scores and boxes must have the same number of rows; got 4 and 6"),
    (lambda: yolo.yolo_non_max_suppression(SCORES, BOXES, CLASSES, 0), ValueError,
     r"max_boxes must be an integer >= 1"),
    (lambda: yolo.scale_boxes(BOXES, (720.0, 1280.0, 3.0)), ValueError, r"image_shape must be \(height, width\)"),
    (lambda: yolo.yolo_eval(yolo_checks.random_head_outputs(1, (2, 2), 1, 2)[:3]), TypeError,
     r"yolo_outputs must be the tuple .* of length 3"),
    (lambda: yolo.yolo_eval(yolo_checks.random_head_outputs(1, (2, 2), 1, 2), score_threshold=7), ValueError,
     r"score_threshold must be in \[0, 1\]; got 7.0"),
    (lambda: yolo.iou((0, 0, 1), (0, 0, 1, 1)), ValueError, r"box1 must hold 4 numbers"),
    (lambda: yolo.iou((0, 0, 1, 1), (2, 0, 1, 1)), ValueError, r"box2 has negative area"),
    (lambda: box_math.non_max_suppression(NEGATIVE, SCORES[:2]), ValueError,
     r"boxes has negative-area boxes .* first at row 1"),
    (lambda: box_math.non_max_suppression(BOXES, SCORES, 5, 1.2), ValueError, r"iou_threshold must be in \[0, 1\]"),
    (lambda: box_math.non_max_suppression(BOXES, SCORES[:3]), ValueError, r"scores must have one entry per box"),
    (lambda: box_math.encode_targets(BOXES, CLASSES, ANCHORS, 4, 2, (1, 1, 1)), ValueError,
     r"image_shape must be \(height, width\)"),
    (lambda: box_math.encode_targets(BOXES, CLASSES + 5, ANCHORS, 4, 2, (1, 1)), ValueError,
     r"classes must be integers in \[0, num_classes=2\)"),
    (lambda: box_math.encode_targets(BOXES, CLASSES, -ANCHORS, 4, 2, (1, 1)), ValueError,
     r"anchors must be positive"),
    (lambda: box_math.encode_targets(NEGATIVE, CLASSES[:2], ANCHORS, 4, 2, (1, 1)), ValueError,
     r"boxes has negative-area boxes"),
    (lambda: box_math.kmeans_anchors(np.ones((3, 2)), 5), ValueError, r"k must be at most the number of boxes"),
    (lambda: box_math.match_detections(BOXES, SCORES, CLASSES, BOXES, CLASSES, -1), ValueError,
     r"iou_threshold must be in \[0, 1\]"),
    (lambda: box_math.draw_boxes(np.zeros((4, 4)), BOXES, CLASSES, ["a", "b"]), ValueError,
     r"image must be a 3-D array"),
    (lambda: box_math.draw_boxes(np.zeros((4, 4, 3)), BOXES, CLASSES + 2, ["a", "b"]), ValueError,
     r"classes must index class_names"),
]


@pytest.mark.parametrize("call,error,message", BAD_CALLS, ids=range(len(BAD_CALLS)))
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_unreadable_anchor_and_class_files(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"anchors_path '.*missing.txt' not found"):
        yolo.read_anchors(tmp_path / "missing.txt")
    with pytest.raises(FileNotFoundError, match=r"classes_path '.*missing.txt' not found"):
        yolo.read_classes(tmp_path / "missing.txt")
    (tmp_path / "words.txt").write_text("big, small\n")
    with pytest.raises(ValueError, match=r"anchors_path .* must hold comma-separated numbers"):
        yolo.read_anchors(tmp_path / "words.txt")
    (tmp_path / "odd.txt").write_text("1, 2, 3\n")
    with pytest.raises(ValueError, match=r"must hold an even number of values .* got 3"):
        yolo.read_anchors(tmp_path / "odd.txt")
    (tmp_path / "binary.bin").write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ValueError, match=r"classes_path .* cannot be read as a text file"):
        yolo.read_classes(tmp_path / "binary.bin")
    (tmp_path / "empty.txt").write_text("\n\n")
    with pytest.raises(ValueError, match=r"classes_path .* holds no class names"):
        yolo.read_classes(tmp_path / "empty.txt")
    with pytest.raises(TypeError, match=r"anchors_path must be a path"):
        yolo.read_anchors(3)
