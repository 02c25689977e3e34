"""Alpacas and other animals in fields: the small target task of section 2.7 (transfer learning).

The course's assignment tells alpacas from everything else with a few hundred photos. These
drawings stand in for them: an **alpaca** is a woolly four-legged animal with a long upright
neck, a small head and tall ears; **not alpaca** is a sheep (woolly, short neck), a horse
(smooth coat, long slanted neck and long head, mane and tail), a dog, a cow (patches, horns), a
goat (beard, horns) or a field with no animal at all. Colours, size, position, facing direction,
pose and the landscape vary independently of the label, so the class is in the animal's shape.

The base network of notebook 2.7 never saw an animal: its source task
(:mod:`~course_utils.synthetic.objects`) has shapes, objects, textures, hands, faces and road
scenes only.

:func:`write_image_folder` writes the pictures as PNG files in one sub-folder per class, the
layout that ``keras.utils.image_dataset_from_directory`` reads (the course's ``dataset/`` folder).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from course_utils import _validate
from course_utils.synthetic.objects import SIZE, _place, _render, finish, landscape

__all__ = ["CLASS_NAMES", "SPECIES", "draw", "make_dataset", "write_image_folder"]

#: Folder names, in the order ``image_dataset_from_directory`` labels them (alphabetical).
CLASS_NAMES = ("alpaca", "not alpaca")

#: What a "not alpaca" picture shows, with its share of that class.
SPECIES = {"sheep": 0.2, "horse": 0.2, "dog": 0.15, "cow": 0.15, "goat": 0.15, "empty field": 0.15}

_SUPERSAMPLE = 2

_COATS = {  # (colour, spread) of each species' coat; alpacas and sheep share their wool colours
    "wool": [(245, 242, 232), (232, 215, 180), (200, 165, 120), (150, 105, 70), (95, 65, 45), (60, 55, 52),
             (165, 160, 155)],
    "horse": [(120, 75, 40), (70, 45, 30), (30, 28, 28), (215, 210, 200), (160, 100, 50), (140, 135, 130)],
    "dog": [(200, 160, 100), (60, 50, 45), (230, 225, 215), (140, 90, 50), (180, 180, 175)],
    "cow": [(245, 245, 240), (130, 80, 50), (40, 35, 35), (190, 150, 110)],
    "goat": [(240, 238, 230), (160, 120, 80), (90, 80, 70), (200, 190, 175)],
}


def _jitter(rng, colour, amount=15):
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in colour)


def _shade(colour, t):
    """Darker (t < 0) or lighter (t > 0) version of a colour."""
    target = (255, 255, 255) if t > 0 else (0, 0, 0)
    return tuple(int(round(c + (g - c) * abs(t))) for c, g in zip(colour, target, strict=True))


def _ellipse(cx, cy, rx, ry, n=28, angle=0.0):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = rx * np.cos(t), ry * np.sin(t)
    c, s = np.cos(angle), np.sin(angle)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=1)


def _woolly(rng, cx, cy, rx, ry, colour, bumps=14):
    """A fleece: an ellipse with a bumpy outline and a few curls on it."""
    parts = [("poly", _ellipse(cx, cy, rx, ry), colour)]
    r = 0.22 * min(rx, ry) + 0.05
    for t in np.linspace(0, 2 * np.pi, bumps, endpoint=False) + rng.uniform(0, 1):
        parts.append(("poly", _ellipse(cx + rx * np.cos(t), cy + ry * np.sin(t), r, r, 12), colour))
    curl = _shade(colour, -0.15)
    for _ in range(int(rng.integers(3, 8))):
        x, y = cx + rx * rng.uniform(-0.7, 0.7), cy + ry * rng.uniform(-0.6, 0.6)
        arc = _ellipse(x, y, r * 0.6, r * 0.5, 8)[: int(rng.integers(4, 7))]
        parts.append(("line", arc, curl, 0.04))
    return parts


def _leg_parts(rng, x_front, x_back, top, length, width, colour, hoof, stride):
    """Four legs, the far pair darker and a little behind; ``stride`` swings them."""
    parts = []
    far = _shade(colour, -0.25)
    for x, c, dx in ((x_front + 0.12, far, -stride), (x_back + 0.12, far, stride),
                     (x_front, colour, stride), (x_back, colour, -stride)):
        parts.append(("line", np.array([(x, top), (x + dx, top + length)]), c, width))
        if hoof is not None:
            parts.append(("line", np.array([(x + dx, top + length - 0.06), (x + dx, top + length)]), hoof, width))
    return parts


def _animal(species, rng):
    """Parts of one animal in a frame where its body has half-width 1, facing right, y down."""
    stride = rng.uniform(-0.12, 0.12)
    if species in ("alpaca", "sheep"):
        coat = _jitter(rng, _COATS["wool"][rng.integers(len(_COATS["wool"]))], 12)
        body_ry = rng.uniform(0.55, 0.7)
        legs_colour = coat if rng.random() < 0.6 else _shade(coat, -0.5)
        if species == "alpaca":
            leg_length, leg_width = rng.uniform(0.9, 1.25), rng.uniform(0.16, 0.22)
            neck_length, neck_angle = rng.uniform(1.2, 1.6), rng.uniform(-0.15, 0.25)  # from vertical, forward
            neck_width = rng.uniform(0.32, 0.42)
        else:
            leg_length, leg_width = rng.uniform(0.5, 0.75), rng.uniform(0.1, 0.15)
            neck_length, neck_angle = rng.uniform(0.25, 0.45), rng.uniform(0.9, 1.3)
            neck_width = rng.uniform(0.4, 0.5)
        parts = _leg_parts(rng, 0.6, -0.6, 0.3, leg_length, leg_width, legs_colour, None, stride)
        parts += [("poly", _ellipse(-1.05, -0.1, 0.16, 0.12, 12), coat)]  # tail
        parts += _woolly(rng, 0, 0, 1, body_ry, coat)
        top = np.array([0.75, -0.35])
        direction = np.array([np.sin(neck_angle), -np.cos(neck_angle)])
        end = top + neck_length * direction
        parts.append(("line", np.array([top, end]), coat, neck_width))
        if species == "alpaca":
            parts += _woolly(rng, *(top + 0.45 * neck_length * direction), neck_width * 0.6,
                             neck_length * 0.45, coat, bumps=8)[:9]
            face = coat if rng.random() < 0.7 else _shade(coat, -0.4)
            parts += [("poly", _ellipse(end[0] + 0.05, end[1] - 0.05, 0.28, 0.24), coat),
                      ("poly", _ellipse(end[0] + 0.25, end[1] + 0.05, 0.18, 0.13, 16), face)]
            for dx in (-0.1, 0.08):  # tall, slightly curved ears
                parts.append(("poly", _ellipse(end[0] + dx, end[1] - 0.38, 0.06, 0.2, 12, 0.2), coat))
            parts.append(("poly", _ellipse(end[0] + 0.1, end[1] - 0.08, 0.035, 0.035, 8), (20, 20, 20)))
        else:
            face = coat if rng.random() < 0.4 else _shade(coat, -0.6)
            parts.append(("poly", _ellipse(end[0] + 0.15, end[1] + 0.05, 0.3, 0.2, 20, 0.3), face))
            parts.append(("poly", _ellipse(end[0] - 0.05, end[1] - 0.05, 0.2, 0.07, 12, -0.4), face))  # floppy ear
            parts.append(("poly", _ellipse(end[0] + 0.15, end[1] - 0.02, 0.035, 0.035, 8), (20, 20, 20)))
        return parts
    coat = _jitter(rng, _COATS[species][rng.integers(len(_COATS[species]))], 12)
    dark = _shade(coat, -0.45)
    if species == "horse":
        body_ry, leg_length, leg_width = rng.uniform(0.42, 0.5), rng.uniform(1.0, 1.3), rng.uniform(0.13, 0.18)
        neck_length, neck_angle, neck_width = rng.uniform(0.9, 1.2), rng.uniform(0.45, 0.75), 0.38
        head_length, head_angle, hoof = 0.5, 1.1, (40, 35, 30)
    elif species == "dog":
        body_ry, leg_length, leg_width = rng.uniform(0.38, 0.48), rng.uniform(0.55, 0.85), rng.uniform(0.13, 0.18)
        neck_length, neck_angle, neck_width = rng.uniform(0.35, 0.55), rng.uniform(0.4, 0.7), 0.34
        head_length, head_angle, hoof = 0.34, 1.45, None
    elif species == "cow":
        body_ry, leg_length, leg_width = rng.uniform(0.55, 0.65), rng.uniform(0.6, 0.8), rng.uniform(0.18, 0.24)
        neck_length, neck_angle, neck_width = rng.uniform(0.3, 0.45), rng.uniform(0.9, 1.2), 0.5
        head_length, head_angle, hoof = 0.36, 2.3, (40, 35, 30)
    else:  # goat
        body_ry, leg_length, leg_width = rng.uniform(0.45, 0.55), rng.uniform(0.7, 0.95), rng.uniform(0.11, 0.15)
        neck_length, neck_angle, neck_width = rng.uniform(0.45, 0.65), rng.uniform(0.3, 0.55), 0.3
        head_length, head_angle, hoof = 0.34, 1.9, (50, 45, 40)
    parts = _leg_parts(rng, 0.65, -0.65, 0.2, leg_length, leg_width, coat, hoof, stride)
    tail_end = {"horse": (-1.25, 0.9), "dog": (-1.4, -0.7), "cow": (-1.1, 0.9), "goat": (-1.2, -0.45)}[species]
    tail_colour = dark if species == "horse" else coat
    parts.append(("line", np.array([(-0.95, -0.2), tail_end]), tail_colour, 0.22 if species == "horse" else 0.09))
    parts.append(("poly", _ellipse(0, 0, 1, body_ry, 32), coat))
    if species == "cow":  # patches
        patch = _shade(coat, -0.7) if sum(coat) > 450 else (245, 245, 240)
        for _ in range(int(rng.integers(2, 5))):
            parts.append(("poly", _ellipse(rng.uniform(-0.6, 0.6), rng.uniform(-0.25, 0.25), rng.uniform(0.15, 0.3),
                                           rng.uniform(0.12, 0.25), 14, rng.uniform(0, 3)), patch))
    top = np.array([0.75, -0.2])
    direction = np.array([np.sin(neck_angle), -np.cos(neck_angle)])
    end = top + neck_length * direction
    parts.append(("line", np.array([top, end]), coat, neck_width))
    if species == "horse":  # mane along the top of the neck
        parts.append(("line", np.array([top + (-0.15, -0.05), end + (-0.12, -0.05)]), dark, 0.1))
    head_direction = np.array([np.sin(head_angle), -np.cos(head_angle)])
    muzzle = end + head_length * head_direction
    parts.append(("line", np.array([end, muzzle]), coat, 0.3 if species != "dog" else 0.28))
    parts.append(("poly", _ellipse(*muzzle, 0.13, 0.12, 12), _shade(coat, -0.2)))
    ears = {"horse": (0.05, 0.14, -0.2), "dog": (0.07, 0.16, 0.6 if rng.random() < 0.5 else -0.1),
            "cow": (0.14, 0.06, 0.1), "goat": (0.12, 0.05, 0.5)}[species]
    parts.append(("poly", _ellipse(end[0] - 0.05, end[1] - 0.17, ears[0], ears[1], 12, ears[2]), coat))
    if species in ("cow", "goat"):  # horns
        horn = (225, 215, 190) if species == "cow" else (120, 110, 95)
        parts.append(("line", np.array([end + (0.02, -0.1), end + (0.12, -0.38), end + (-0.05, -0.5)]), horn, 0.07))
    if species == "goat":  # beard
        parts.append(("line", np.array([muzzle + (-0.05, 0.05), muzzle + (-0.08, 0.3)]), _shade(coat, -0.3), 0.08))
    parts.append(("poly", _ellipse(*(end + 0.35 * head_length * head_direction + (0.02, -0.08)), 0.035, 0.035, 8),
                  (20, 20, 20)))
    return parts


def _bounds(parts):
    points = np.concatenate([p[1] for p in parts])
    pad = max([p[3] for p in parts if p[0] == "line"], default=0) / 2
    return points.min(axis=0) - pad, points.max(axis=0) + pad


def draw(label, rng, size=SIZE, species=None):
    """One picture: an alpaca (``label`` 0) or not (1).

    Parameters
    ----------
    label : {0, 1}
        Index into :data:`CLASS_NAMES`.
    rng : numpy.random.Generator
        Source of every random choice.
    size : int, default 96
        Height and width, pixels (at least 32).
    species : str, optional
        For ``label`` 1, one key of :data:`SPECIES`; drawn with their shares by default.

    Returns
    -------
    numpy.ndarray
        uint8, shape ``(size, size, 3)``.
    """
    if label not in (0, 1) or isinstance(label, bool):
        raise ValueError(f"label must be 0 (alpaca) or 1 (not alpaca); got {label!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    size = _validate.integer(size, "size", minimum=32)
    if species is not None and (label == 0 or species not in SPECIES):
        raise ValueError(f"species must be None, or with label 1 one of {sorted(SPECIES)}; got {species!r}")
    if label == 0:
        species = "alpaca"
    elif species is None:
        species = rng.choice(list(SPECIES), p=list(SPECIES.values()))
    R = size * _SUPERSAMPLE
    image, horizon = landscape(rng, R)
    if species != "empty field":
        parts = _animal(species, rng)
        low, high = _bounds(parts)
        # As big as a photographer would frame it: the animal's larger side covers 45-85 % of the picture.
        scale = R * rng.uniform(0.45, 0.85) / max(high - low)
        width, height = (high - low) * scale
        feet = rng.uniform(max(horizon + 0.1 * (R - horizon), height), R)  # feet below the horizon, head inside
        left = rng.uniform(0, max(R - width, 1))
        flip = rng.random() < 0.5
        centre_x = left + width / 2
        # ``_place`` turns and scales around the frame's origin; move the box where it belongs.
        anchor = np.array([(low[0] + high[0]) / 2, high[1]])
        parts = [(p[0], np.asarray(p[1]) - anchor, *p[2:]) for p in parts]
        parts = _place(parts, scale, rng.uniform(-0.08, 0.08), np.array([centre_x, feet]), flip)
        _render(ImageDraw.Draw(image), parts, scale)
    return finish(rng, image, size)


def make_dataset(n, seed=0, size=SIZE):
    """``n`` pictures, alternately alpaca and not, each a pure function of ``(seed, i)``.

    Parameters
    ----------
    n : int
        Number of pictures (>= 1).
    seed : int, default 0
        Picture ``i`` is drawn from ``numpy.random.default_rng([seed, i])``; use different
        seeds for the training and test pictures.
    size : int, default 96

    Returns
    -------
    X : numpy.ndarray, uint8, shape (n, size, size, 3)
    y : numpy.ndarray, int64, shape (n,)
        0 for alpaca, 1 for not alpaca (``i % 2``).
    """
    n = _validate.integer(n, "n", minimum=1)
    seed = _validate.integer(seed, "seed", minimum=0)
    y = np.arange(n, dtype=np.int64) % 2
    X = np.stack([draw(int(y[i]), np.random.default_rng([seed, i]), size) for i in range(n)])
    return X, y


def write_image_folder(directory, n, seed=0, size=SIZE):
    """Write :func:`make_dataset`'s pictures as PNG files, one sub-folder per class.

    Parameters
    ----------
    directory : str or os.PathLike
        Created if needed; receives ``alpaca/`` and ``not alpaca/`` (files ``0000.png``, ...).
    n, seed, size
        As :func:`make_dataset`.

    Returns
    -------
    pathlib.Path
        ``directory``, ready for ``keras.utils.image_dataset_from_directory``.
    """
    if not isinstance(directory, (str, Path)):
        raise TypeError(f"directory must be a str or Path; got {type(directory).__name__}")
    directory = Path(directory)
    X, y = make_dataset(n, seed, size)
    for name in CLASS_NAMES:
        (directory / name).mkdir(parents=True, exist_ok=True)
    for i, (image, label) in enumerate(zip(X, y, strict=True)):
        Image.fromarray(image).save(directory / CLASS_NAMES[label] / f"{i:04d}.png")
    return directory
