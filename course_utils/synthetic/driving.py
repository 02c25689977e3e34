"""Synthetic dash-camera scenes with ground-truth boxes and class masks, for the detection and segmentation notebooks.

The course runs YOLOv2 on photographs taken from a car; neither the photographs nor the
weights can ship with this project, so this module draws its own road scenes: a sky, a road
in perspective with lane markings, a roadside with buildings and trees, and four kinds of
object — cars of many colours and sizes, trucks and buses, pedestrians, traffic lights —
near and far, some partly hidden behind nearer ones.

Everything is decided by one integer seed, so a scene is the same on every machine. The
picture is drawn at twice its final size with Pillow and then shrunk, which smooths the edges.

Every scene also has a per-pixel class mask (:func:`make_scene` with ``with_mask=True``,
:func:`make_segmentation_split`) for semantic segmentation (section 3.3): each shape is drawn a
second time, with the same coordinates and without smoothing, into a label image that holds its
class (:data:`SEGMENTATION_CLASSES`), so mask and picture agree pixel for pixel.
``python -m course_utils.synthetic.driving --split test --out scenes.npz`` saves a split's pictures
and masks.

Boxes are ``[y_min, x_min, y_max, x_max]`` in pixels of the final image (the order that
:func:`course_utils.yolo.yolo_boxes_to_corners` produces) and cover the whole object, also
the part hidden behind a nearer one. An object that would be more than ``MAX_OCCLUSION``
hidden is not drawn at all, so every object in the picture has a box.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from course_utils import _validate

__all__ = ["CLASS_NAMES", "SPLITS", "SEGMENTATION_CLASSES", "make_scene", "make_split",
           "make_segmentation_split"]

CLASS_NAMES = ("car", "truck", "pedestrian", "traffic light")
CAR, TRUCK, PEDESTRIAN, TRAFFIC_LIGHT = range(4)

#: name -> (first seed, number of scenes). The seed ranges never overlap.
SPLITS = {"train": (0, 4000), "val": (1_000_000, 300), "test": (2_000_000, 300)}

#: The classes of the segmentation masks, by label value. "roadside" is the ground beside the road
#: (grass, earth or paving) with its kerb; "truck" includes buses; "traffic light" includes its pole.
SEGMENTATION_CLASSES = ("sky", "building", "vegetation", "roadside", "road", "lane marking", "car", "truck",
                        "pedestrian", "traffic light")
SKY, BUILDING, VEGETATION, ROADSIDE, ROAD, LANE_MARKING = range(6)
_OBJECT_LABEL = {CAR: 6, TRUCK: 7, PEDESTRIAN: 8, TRAFFIC_LIGHT: 9}

MAX_OCCLUSION = 0.55
_SUPERSAMPLE = 2

_CAR_COLOURS = [(200, 30, 30), (30, 60, 170), (235, 235, 235), (25, 25, 25), (150, 150, 155),
                (230, 200, 40), (30, 120, 60), (120, 40, 140), (240, 120, 20), (90, 60, 40)]
_TRUCK_COLOURS = [(240, 240, 235), (230, 180, 20), (40, 90, 160), (180, 40, 30), (60, 130, 70)]


def make_scene(seed, size: int = 96, with_mask: bool = False):
    """Draw one dash-camera scene.

    Parameters
    ----------
    seed : int
        Decides everything in the scene (``numpy.random.default_rng(seed)``).
    size : int, default 96
        Height and width of the square image in pixels (at least 32).
    with_mask : bool, default False
        Also return the scene's class mask. The image, boxes and classes are the same either way.

    Returns
    -------
    image : numpy.ndarray, uint8, shape (size, size, 3)
    boxes : numpy.ndarray, float32, shape (n, 4)
        ``[y_min, x_min, y_max, x_max]`` in pixels, one row per object.
    classes : numpy.ndarray, int64, shape (n,)
        Index into :data:`CLASS_NAMES`.
    mask : numpy.ndarray, uint8, shape (size, size)
        Only with ``with_mask=True``: each pixel's index into :data:`SEGMENTATION_CLASSES`.
    """
    seed = _validate.integer(seed, "seed", minimum=0)
    size = _validate.integer(size, "size", minimum=32)
    if not isinstance(with_mask, (bool, np.bool_)):
        raise TypeError(f"with_mask must be True or False; got {type(with_mask).__name__} {with_mask!r}")
    rng = np.random.default_rng(seed)
    R = size * _SUPERSAMPLE
    scene = _layout(rng, R)
    canvas = Image.new("RGB", (R, R))
    labels = Image.new("L", (R, R)) if with_mask else None
    draw = _LabelledDraw(canvas, labels)
    _draw_background(draw, rng, scene, R)
    objects = _place_objects(rng, scene, R)
    for obj in sorted(objects, key=lambda o: o["y_bottom"]):  # far first: near ones cover them
        draw.label = _OBJECT_LABEL[obj["cls"]]
        _DRAWERS[obj["cls"]](draw, rng, obj)
    image = np.asarray(canvas.resize((size, size), Image.Resampling.BOX), dtype=np.float32)
    image = image + rng.normal(0, 3.0, image.shape)  # a little sensor noise
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    mask = (_majority_label(np.asarray(labels), _SUPERSAMPLE, len(SEGMENTATION_CLASSES)),) if with_mask else ()
    if not objects:
        return (image, np.zeros((0, 4), np.float32), np.zeros((0,), np.int64), *mask)
    boxes = np.array([o["box"] for o in objects], np.float32) / _SUPERSAMPLE
    classes = np.array([o["cls"] for o in objects], np.int64)
    order = np.lexsort((boxes[:, 1], boxes[:, 0]))
    return (image, boxes[order], classes[order], *mask)


def _split_scenes(name, n, size, with_mask):
    """The scenes of split ``name`` (the first ``n`` when given), from :func:`make_scene`."""
    if name not in SPLITS:
        raise ValueError(f"name must be one of {sorted(SPLITS)}; got {name!r}")
    first, count = SPLITS[name]
    if n is not None:
        count = _validate.integer(n, "n", minimum=1)
    return [make_scene(first + i, size, with_mask=with_mask) for i in range(count)]


def make_split(name: str, n: int | None = None, size: int = 96):
    """All scenes of one split, drawn from its own range of seeds.

    Parameters
    ----------
    name : {"train", "val", "test"}
    n : int, optional
        Only the first ``n`` scenes of the split (default: all, see :data:`SPLITS`).
    size : int, default 96

    Returns
    -------
    images : numpy.ndarray, uint8, shape (n, size, size, 3)
    boxes : list of n arrays of shape (k_i, 4)
    classes : list of n int arrays of shape (k_i,)
    """
    scenes = _split_scenes(name, n, size, with_mask=False)
    images = np.stack([s[0] for s in scenes])
    return images, [s[1] for s in scenes], [s[2] for s in scenes]


def make_segmentation_split(name: str, n: int | None = None, size: int = 96):
    """The images and class masks of one split's scenes (the same scenes as :func:`make_split`).

    Parameters
    ----------
    name : {"train", "val", "test"}
    n : int, optional
        Only the first ``n`` scenes of the split (default: all, see :data:`SPLITS`).
    size : int, default 96

    Returns
    -------
    images : numpy.ndarray, uint8, shape (n, size, size, 3)
    masks : numpy.ndarray, uint8, shape (n, size, size)
        Each pixel's index into :data:`SEGMENTATION_CLASSES`.
    """
    scenes = _split_scenes(name, n, size, with_mask=True)
    return np.stack([s[0] for s in scenes]), np.stack([s[3] for s in scenes])


# ---------------------------------------------------------------------------------------------
# Geometry: where the road is and how big things are at each distance.


def _layout(rng, R):
    horizon = R * rng.uniform(0.36, 0.46)
    vanish_x = R * rng.uniform(0.38, 0.62)
    return {
        "horizon": horizon,
        "vanish_x": vanish_x,
        "bottom_x": vanish_x + R * rng.uniform(-0.25, 0.25),  # road centre at the bottom edge
        "half_width": R * rng.uniform(0.7, 1.0),  # half the road's width at the bottom edge
        "lanes": int(rng.integers(2, 5)),
    }


def _ground(scene, R, s, u):
    """Image point of a ground position: ``s`` in (0, 1] (1 = bottom edge, 0 = horizon),
    ``u`` across the road (-1 = left edge, +1 = right edge, beyond = roadside)."""
    y = scene["horizon"] + s * (R - scene["horizon"])
    centre = scene["vanish_x"] + s * (scene["bottom_x"] - scene["vanish_x"])
    return centre + u * s * scene["half_width"], y


def _place_objects(rng, scene, R):
    """Sample objects, then drop those hidden too much by nearer ones or cut off by the frame."""
    counts = [int(rng.integers(1, 6)), int(rng.integers(0, 3)), int(rng.integers(0, 4))]
    counts.append(int(rng.integers(0, 3) + (rng.random() < 0.3)))
    wanted = [cls for cls, count in enumerate(counts) for _ in range(count)]
    candidates = [_sample_object(rng, scene, R, cls) for cls in wanted]
    covered = np.zeros((R, R), bool)
    kept = []
    for obj in sorted(candidates, key=lambda o: -o["y_bottom"]):  # nearest first
        y0, x0, y1, x1 = obj["box"]
        inside = (max(0.0, min(y1, R) - max(y0, 0)) * max(0.0, min(x1, R) - max(x0, 0)))
        if inside < 0.7 * (y1 - y0) * (x1 - x0):
            continue  # mostly outside the frame
        obj["box"] = (max(y0, 0.0), max(x0, 0.0), min(y1, float(R)), min(x1, float(R)))
        rows = slice(int(obj["box"][0]), int(np.ceil(obj["box"][2])))
        cols = slice(int(obj["box"][1]), int(np.ceil(obj["box"][3])))
        region = covered[rows, cols]
        if region.size == 0 or region.mean() > MAX_OCCLUSION:
            continue
        covered[rows, cols] = True
        kept.append(obj)
    return kept


def _sample_object(rng, scene, R, cls):
    if cls in (CAR, TRUCK):
        s = rng.uniform(0.22, 0.95)
        u = rng.uniform(-0.85, 0.85)
    elif cls == PEDESTRIAN:
        s = rng.uniform(0.3, 0.95)
        u = rng.choice([-1, 1]) * rng.uniform(1.05, 1.5) if rng.random() < 0.8 else rng.uniform(-0.8, 0.8)
    else:
        s = rng.uniform(0.3, 0.75)
        u = rng.choice([-1, 1]) * rng.uniform(1.1, 1.5)
    x, y = _ground(scene, R, s, u)
    scale = s * R
    if cls == CAR:
        w = scale * rng.uniform(0.28, 0.4)
        h = w * rng.uniform(0.65, 0.85)
        top = y - h
    elif cls == TRUCK:
        w = scale * rng.uniform(0.4, 0.5)
        h = w * rng.uniform(1.0, 1.35)
        top = y - h
    elif cls == PEDESTRIAN:
        h = scale * rng.uniform(0.3, 0.38)
        w = h * rng.uniform(0.32, 0.42)
        top = y - h
    else:  # the lamp housing sits on a pole; the box is the housing only
        w = scale * rng.uniform(0.1, 0.13)
        h = w * rng.uniform(2.4, 2.8)
        top = y - scale * rng.uniform(0.3, 0.5) - h
    return {"cls": cls, "y_bottom": y, "x": x, "ground": y,
            "box": (top, x - w / 2, top + h, x + w / 2)}


# ---------------------------------------------------------------------------------------------
# Drawing.


def _jitter(rng, colour, amount=18):
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in colour)


def _mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))


def _draw_background(draw, rng, scene, R):
    horizon = scene["horizon"]
    sky_top = _jitter(rng, [(70, 130, 200), (150, 160, 175), (200, 140, 110)][rng.integers(3)], 25)
    sky_low = _mix(sky_top, (235, 235, 240), 0.6)
    draw.label = SKY
    for row in range(int(horizon) + 1):
        draw.line([(0, row), (R, row)], fill=_mix(sky_top, sky_low, row / max(horizon, 1)))
    ground = _jitter(rng, [(80, 130, 60), (120, 110, 80), (110, 110, 105)][rng.integers(3)], 20)
    draw.label = ROADSIDE
    draw.rectangle([0, horizon, R, R], fill=ground)
    # buildings and trees along the horizon: clutter that is not an object
    for _ in range(int(rng.integers(3, 9))):
        x = rng.uniform(0, R)
        w, h = R * rng.uniform(0.04, 0.15), R * rng.uniform(0.03, 0.18)
        if rng.random() < 0.5:
            colour = _jitter(rng, (140, 120, 110), 40)
            draw.label = BUILDING
            draw.rectangle([x, horizon - h, x + w, horizon + 1], fill=colour)
        else:
            draw.label = VEGETATION
            draw.ellipse([x, horizon - h, x + w, horizon + h * 0.3], fill=_jitter(rng, (40, 100, 45), 20))
    # the road and its edges
    left_far, y_far = _ground(scene, R, 0.0, -1)
    right_far, _ = _ground(scene, R, 0.0, 1)
    left_near, y_near = _ground(scene, R, 1.0, -1)
    right_near, _ = _ground(scene, R, 1.0, 1)
    road = _jitter(rng, (95, 95, 100), 25)
    draw.label = ROAD
    draw.polygon([(left_far - 1, y_far), (right_far + 1, y_far), (right_near, y_near), (left_near, y_near)],
                 fill=road)
    kerb = _jitter(rng, (170, 170, 165), 20)
    draw.label = ROADSIDE
    for side in (-1, 1):
        x0, y0 = _ground(scene, R, 0.02, side)
        x1, y1 = _ground(scene, R, 1.0, side)
        draw.line([(x0, y0), (x1, y1)], fill=kerb, width=max(1, R // 60))
    # lane markings: dashes that shrink towards the horizon
    paint = (235, 235, 225) if rng.random() < 0.7 else (230, 200, 60)
    lanes = scene["lanes"]
    draw.label = LANE_MARKING
    phase = rng.uniform(0, 1)
    for k in range(1, lanes):
        u = -1 + 2 * k / lanes
        s = 0.04
        dash = phase
        while s < 1.0:
            s_next = s * 1.35
            if dash % 2 < 1:
                (x0, y0), (x1, y1) = _ground(scene, R, s, u), _ground(scene, R, min(s_next, 1.0), u)
                draw.line([(x0, y0), (x1, y1)], fill=paint, width=max(1, int(R * 0.012 * s_next)))
            dash += 1
            s = s_next


def _draw_car(draw, rng, obj):
    y0, x0, y1, x1 = obj["box"]
    w, h = x1 - x0, y1 - y0
    body = _jitter(rng, _CAR_COLOURS[rng.integers(len(_CAR_COLOURS))], 20)
    dark = _mix(body, (0, 0, 0), 0.45)
    wheel = h * 0.18
    draw.rectangle([x0 + w * 0.06, y1 - wheel, x0 + w * 0.24, y1], fill=(20, 20, 20))
    draw.rectangle([x1 - w * 0.24, y1 - wheel, x1 - w * 0.06, y1], fill=(20, 20, 20))
    draw.rectangle([x0, y0 + h * 0.42, x1, y1 - wheel * 0.6], fill=body)
    draw.polygon([(x0 + w * 0.12, y0 + h * 0.44), (x0 + w * 0.2, y0), (x1 - w * 0.2, y0),
                  (x1 - w * 0.12, y0 + h * 0.44)], fill=body)
    draw.polygon([(x0 + w * 0.19, y0 + h * 0.4), (x0 + w * 0.25, y0 + h * 0.08),
                  (x1 - w * 0.25, y0 + h * 0.08), (x1 - w * 0.19, y0 + h * 0.4)],
                 fill=_mix((60, 80, 100), body, 0.15))
    lamp = (220, 30, 30) if rng.random() < 0.8 else (255, 160, 40)
    draw.rectangle([x0 + w * 0.04, y0 + h * 0.5, x0 + w * 0.18, y0 + h * 0.62], fill=lamp)
    draw.rectangle([x1 - w * 0.18, y0 + h * 0.5, x1 - w * 0.04, y0 + h * 0.62], fill=lamp)
    draw.rectangle([x0 + w * 0.36, y0 + h * 0.66, x1 - w * 0.36, y0 + h * 0.76], fill=(230, 230, 220))
    draw.line([(x0, y1 - wheel * 0.6), (x1, y1 - wheel * 0.6)], fill=dark, width=1)


def _draw_truck(draw, rng, obj):
    y0, x0, y1, x1 = obj["box"]
    w, h = x1 - x0, y1 - y0
    colour = _jitter(rng, _TRUCK_COLOURS[rng.integers(len(_TRUCK_COLOURS))], 15)
    wheel = h * 0.1
    draw.rectangle([x0 + w * 0.05, y1 - wheel, x0 + w * 0.22, y1], fill=(20, 20, 20))
    draw.rectangle([x1 - w * 0.22, y1 - wheel, x1 - w * 0.05, y1], fill=(20, 20, 20))
    draw.rectangle([x0, y0, x1, y1 - wheel * 0.5], fill=colour)
    if rng.random() < 0.5:  # a bus: a wide rear window and a destination sign
        draw.rectangle([x0 + w * 0.1, y0 + h * 0.06, x1 - w * 0.1, y0 + h * 0.14], fill=(250, 170, 30))
        draw.rectangle([x0 + w * 0.08, y0 + h * 0.2, x1 - w * 0.08, y0 + h * 0.5], fill=(50, 65, 80))
    else:  # a truck: a cargo door with a seam
        edge = _mix(colour, (0, 0, 0), 0.35)
        draw.rectangle([x0 + w * 0.06, y0 + h * 0.05, x1 - w * 0.06, y1 - h * 0.2], outline=edge,
                       width=max(1, int(w * 0.03)))
        draw.line([((x0 + x1) / 2, y0 + h * 0.05), ((x0 + x1) / 2, y1 - h * 0.2)], fill=edge,
                  width=max(1, int(w * 0.02)))
    draw.rectangle([x0 + w * 0.03, y1 - h * 0.2, x0 + w * 0.14, y1 - h * 0.14], fill=(220, 30, 30))
    draw.rectangle([x1 - w * 0.14, y1 - h * 0.2, x1 - w * 0.03, y1 - h * 0.14], fill=(220, 30, 30))


def _draw_pedestrian(draw, rng, obj):
    y0, x0, y1, x1 = obj["box"]
    w, h = x1 - x0, y1 - y0
    skin = _jitter(rng, [(240, 200, 170), (200, 150, 110), (120, 80, 55)][rng.integers(3)], 10)
    shirt = tuple(int(c) for c in rng.integers(0, 256, 3))
    trousers = _jitter(rng, [(40, 40, 60), (70, 70, 70), (120, 90, 60), (30, 30, 30)][rng.integers(4)], 15)
    head = h * 0.16
    cx = (x0 + x1) / 2
    draw.ellipse([cx - head * 0.5, y0, cx + head * 0.5, y0 + head], fill=skin)
    draw.rectangle([x0 + w * 0.1, y0 + head * 0.95, x1 - w * 0.1, y0 + h * 0.55], fill=shirt)
    draw.rectangle([x0, y0 + head * 1.05, x0 + w * 0.14, y0 + h * 0.5], fill=shirt)  # arms
    draw.rectangle([x1 - w * 0.14, y0 + head * 1.05, x1, y0 + h * 0.5], fill=shirt)
    stride = rng.uniform(0, 0.15) * w
    draw.polygon([(x0 + w * 0.18, y0 + h * 0.55), (cx - w * 0.02, y0 + h * 0.55),
                  (cx - w * 0.05 - stride, y1), (x0 + w * 0.15 - stride, y1)], fill=trousers)
    draw.polygon([(cx + w * 0.02, y0 + h * 0.55), (x1 - w * 0.18, y0 + h * 0.55),
                  (x1 - w * 0.15 + stride, y1), (cx + w * 0.05 + stride, y1)], fill=trousers)


def _draw_traffic_light(draw, rng, obj):
    y0, x0, y1, x1 = obj["box"]
    w, h = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    draw.rectangle([cx - w * 0.1, y1, cx + w * 0.1, obj["ground"]], fill=(70, 70, 75))  # pole
    housing = _jitter(rng, (35, 35, 35), 10) if rng.random() < 0.8 else _jitter(rng, (200, 170, 30), 10)
    draw.rectangle([x0, y0, x1, y1], fill=housing)
    lit = int(rng.integers(3))
    lamps = [(230, 30, 30), (240, 190, 30), (40, 210, 90)]
    for k, colour in enumerate(lamps):
        cy = y0 + h * (k + 0.5) / 3
        r = min(w * 0.36, h / 7.5)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour if k == lit else _mix(colour, (0, 0, 0), 0.75))


_DRAWERS = {CAR: _draw_car, TRUCK: _draw_truck, PEDESTRIAN: _draw_pedestrian, TRAFFIC_LIGHT: _draw_traffic_light}


# ---------------------------------------------------------------------------------------------
# Class masks: every shape drawn a second time, as its class, into a label image.


class _LabelledDraw:
    """Pillow's drawing calls, made on the picture in colour and on a label image as a class.

    The drawing functions set ``label`` before they draw a part of the scene; every
    ``rectangle``, ``polygon``, ``ellipse`` and ``line`` then goes to the picture with its colour
    and, when there is a label image, to that image with the value ``label`` (Pillow does not
    smooth these fills, so the labels are exact). Without a label image it is plain drawing: the
    picture and the random numbers drawn are the same with or without a mask.
    """

    def __init__(self, picture, labels=None):
        self._picture = ImageDraw.Draw(picture)
        self._labels = None if labels is None else ImageDraw.Draw(labels)
        self.label = 0

    def _draw(self, method, xy, **colours_and_options):
        getattr(self._picture, method)(xy, **colours_and_options)
        if self._labels is not None:
            as_label = {key: (self.label if key in ("fill", "outline") and value is not None else value)
                        for key, value in colours_and_options.items()}
            getattr(self._labels, method)(xy, **as_label)

    def rectangle(self, xy, **kwargs):
        self._draw("rectangle", xy, **kwargs)

    def polygon(self, xy, **kwargs):
        self._draw("polygon", xy, **kwargs)

    def ellipse(self, xy, **kwargs):
        self._draw("ellipse", xy, **kwargs)

    def line(self, xy, **kwargs):
        self._draw("line", xy, **kwargs)


def _majority_label(labels, factor, n_classes):
    """Shrink a label image by ``factor``: each pixel takes the most frequent label of its block.

    The picture is shrunk by averaging the same blocks, so a pixel's label is the class that covers
    most of it. Ties go to the higher label: the thinner, nearer things (lane markings over road,
    objects over background) keep their outline.
    """
    h, w = labels.shape[0] // factor, labels.shape[1] // factor
    blocks = labels.reshape(h, factor, w, factor).transpose(0, 2, 1, 3).reshape(h, w, factor * factor)
    pixel = np.repeat(np.arange(h * w), factor * factor)
    counts = np.bincount(pixel * n_classes + blocks.reshape(-1), minlength=h * w * n_classes)
    counts = counts.reshape(h, w, n_classes)
    return (n_classes - 1 - counts[..., ::-1].argmax(axis=-1)).astype(np.uint8)


def main(argv=None) -> int:
    """``python -m course_utils.synthetic.driving --split test --n 300 --out scenes.npz``: save scenes and masks."""
    import argparse

    parser = argparse.ArgumentParser(description="Save seeded driving scenes with their class masks to an .npz file "
                                                 "(arrays images, masks; the same every time).")
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    parser.add_argument("--n", type=int, default=None, help="the first n scenes (default: the whole split)")
    parser.add_argument("--size", type=int, default=96)
    parser.add_argument("--out", required=True, help="the .npz file to write")
    args = parser.parse_args(argv)
    images, masks = make_segmentation_split(args.split, args.n, args.size)
    np.savez_compressed(args.out, images=images, masks=masks, classes=np.array(SEGMENTATION_CLASSES))
    print(f"wrote {len(images)} {args.split} scenes of {args.size}x{args.size} and their masks to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
