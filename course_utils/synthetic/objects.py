"""Many kinds of picture, one class each: the source task of section 2.7's MobileNetV2 base.

Transfer learning needs a network that was first trained on a large, varied task. The course
uses ImageNet; this project cannot ship it, so ``tools/train_mobilenet_base.py`` trains its base
on these drawings instead: 43 classes of

- everyday objects and shapes (26): discs, rings, stars, houses, trees, cars, flowers, umbrellas,
  clocks, cups, keys, ... in any colour, size, position and angle, in front of plain walls,
  gradients, faint textures or landscapes, with small clutter strokes around them;
- textures (8) filling the whole picture: stripes, checks, dots, waves, bricks, wood, clouds, mesh;
- hands showing 0 to 5 fingers (6, cartoon hands drawn here), faces smiling or
  not (2, from :mod:`~course_utils.synthetic.happy`) and dash-camera road scenes (1, from
  :mod:`~course_utils.synthetic.driving`).

No animal is among them, on purpose: the target task of notebook 2.7
(:mod:`~course_utils.synthetic.animals`) is about animals, so whatever the base brings to it
is general visual features (edges, textures, parts, outlines), not the answer.

Every image is a pure function of ``(seed, index)``: the picture is drawn at twice its size with
Pillow, reduced (anti-aliased edges) and given a random exposure, white balance, blur and noise.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from course_utils import _validate
from course_utils.synthetic import render

__all__ = ["SIZE", "CLASS_NAMES", "draw", "make_dataset", "landscape", "finish"]

SIZE = 96
_SUPERSAMPLE = 2


# --- Colours and the canvas ------------------------------------------------------------------

def _colour(rng, saturated=None):
    """A random colour as an int tuple: vivid, pastel, dark or grey."""
    kind = rng.choice(["vivid", "pastel", "dark", "grey"], p=[0.45, 0.2, 0.2, 0.15]) if saturated is None \
        else ("vivid" if saturated else "grey")
    hue = rng.uniform(0, 1)
    if kind == "grey":
        return (int(rng.integers(20, 236)),) * 3
    saturation, value = {"vivid": (rng.uniform(0.6, 1), rng.uniform(0.6, 1)),
                         "pastel": (rng.uniform(0.2, 0.45), rng.uniform(0.8, 1)),
                         "dark": (rng.uniform(0.4, 1), rng.uniform(0.2, 0.45))}[kind]
    return _hsv(hue, saturation, value)


def _hsv(h, s, v):
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    r, g, b = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
    return int(r * 255), int(g * 255), int(b * 255)


def _distinct(rng, avoid, min_distance=110):
    """A colour at least ``min_distance`` (RGB distance) from ``avoid``, so the object shows."""
    for _ in range(20):
        colour = _colour(rng)
        if np.linalg.norm(np.subtract(colour, avoid)) >= min_distance:
            return colour
    return tuple(255 - c for c in avoid)


def _mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))


def _grid(R):
    axis = (np.arange(R) + 0.5) / R
    return np.meshgrid(axis, axis)  # x, y in 0..1


def _gradient(rng, R, top, bottom):
    """``(R, R, 3)`` float canvas fading from ``top`` to ``bottom`` along a random direction."""
    x, y = _grid(R)
    angle = rng.uniform(0, 2 * np.pi)
    t = np.clip(0.5 + (x - 0.5) * np.cos(angle) + (y - 0.5) * np.sin(angle), 0, 1)[..., None]
    return np.asarray(top, float) * (1 - t) + np.asarray(bottom, float) * t


def landscape(rng, R):
    """A sky, hills and a ground in the lower part: the background of outdoor pictures.

    Parameters
    ----------
    rng : numpy.random.Generator
    R : int
        Side of the square canvas, pixels.

    Returns
    -------
    image : PIL.Image.Image
        RGB, ``R x R``.
    horizon : float
        Row of the horizon, pixels.
    """
    horizon = R * rng.uniform(0.3, 0.55)
    sky_top = _mix((70, 130, 205), (150, 155, 170), rng.uniform(0, 0.7))
    t = ((np.arange(R) + 0.5) / R)[:, None, None]
    sky = np.broadcast_to(np.asarray(sky_top, float) * (1 - t) + np.asarray((225, 232, 240), float) * t, (R, R, 3))
    image = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(0, 4))):  # clouds
        cx, cy, w = rng.uniform(0, R), rng.uniform(0, horizon * 0.8), R * rng.uniform(0.08, 0.2)
        for dx in np.linspace(-w, w, 3):
            draw.ellipse([cx + dx - w * 0.6, cy - w * 0.35, cx + dx + w * 0.6, cy + w * 0.35], fill=(245, 245, 248))
    ground = [(95, 150, 65), (130, 160, 80), (150, 130, 85), (225, 228, 232), (175, 165, 120)][rng.integers(5)]
    ground = tuple(int(np.clip(c + rng.integers(-20, 21), 0, 255)) for c in ground)
    hills = _mix(ground, (60, 80, 110), rng.uniform(0.3, 0.6))
    xs = np.linspace(0, R, 9)
    ys = horizon - R * rng.uniform(0.0, 0.18) * np.abs(np.sin(xs / R * rng.uniform(2, 6) + rng.uniform(0, 6)))
    draw.polygon([(0, R), *zip(xs, ys, strict=True), (R, R)], fill=hills)
    draw.rectangle([0, horizon, R, R], fill=ground)
    for _ in range(int(rng.integers(0, 40))):  # tufts of grass or stones
        x, y = rng.uniform(0, R), rng.uniform(horizon, R)
        r = R * rng.uniform(0.003, 0.012)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_mix(ground, (30, 40, 20), rng.uniform(0.1, 0.4)))
    if rng.random() < 0.3:  # a fence
        y0 = horizon + (R - horizon) * rng.uniform(0.1, 0.5)
        post = _mix(ground, (90, 60, 40), 0.7)
        for x in np.arange(rng.uniform(0, R * 0.2), R, R * rng.uniform(0.12, 0.25)):
            draw.line([(x, y0), (x, y0 + R * 0.12)], fill=post, width=max(1, R // 60))
        draw.line([(0, y0 + R * 0.03), (R, y0 + R * 0.03)], fill=post, width=max(1, R // 80))
    return image, horizon


def _background(rng, R):
    """One of four backgrounds, as a PIL image, and a representative colour of it."""
    kind = rng.integers(4)
    if kind == 0:  # a plain wall with light falling across it
        base = _colour(rng)
        canvas = _gradient(rng, R, base, _mix(base, (0, 0, 0) if rng.random() < 0.5 else (255, 255, 255), 0.35))
    elif kind == 1:  # a two-colour gradient
        canvas = _gradient(rng, R, _colour(rng), _colour(rng))
    elif kind == 2:  # a faint texture
        base = _colour(rng)
        canvas = _gradient(rng, R, base, base) + 18 * _texture_field(rng, R)[..., None]
    else:
        image, horizon = landscape(rng, R)
        return image, tuple(int(c) for c in np.asarray(image)[int(horizon)::4, ::4].reshape(-1, 3).mean(axis=0))
    canvas = np.clip(canvas, 0, 255)
    return Image.fromarray(canvas.astype(np.uint8)), tuple(int(c) for c in canvas[::8, ::8].reshape(-1, 3).mean(axis=0))


# --- Objects: parts in a unit frame (y down), then placed ---------------------------------------

def _circle(n=40, r=1.0, cx=0.0, cy=0.0, start=0.0, end=2 * np.pi):
    t = np.linspace(start, end, n, endpoint=end - start < 2 * np.pi - 1e-9)
    return np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], axis=1)


def _rect(x0, y0, x1, y1):
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], float)


def _regular(k, r=1.0, phase=-np.pi / 2):
    t = phase + 2 * np.pi * np.arange(k) / k
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1)


def _disc(rng, c):
    return [("poly", _circle(), c)]


def _ring(rng, c):
    return [("line", _circle(48, 0.85, end=2 * np.pi + 0.3), c, rng.uniform(0.18, 0.4))]


def _square(rng, c):
    return [("poly", _rect(-0.85, -0.85, 0.85, 0.85), c)]


def _triangle(rng, c):
    return [("poly", _regular(3), c)]


def _star(rng, c):
    points = np.repeat(_regular(5), 2, axis=0)
    points[1::2] = _regular(5, rng.uniform(0.35, 0.5), -np.pi / 2 + np.pi / 5)
    return [("poly", points, c)]


def _plus(rng, c):
    w = rng.uniform(0.2, 0.35)
    return [("poly", _rect(-w, -1, w, 1), c), ("poly", _rect(-1, -w, 1, w), c)]


def _crescent(rng, c):
    # A unit disc minus a disc of radius 0.9 shifted right by d: the outer arc on the left from one
    # crossing point to the other, then the inner arc back.
    d = rng.uniform(0.35, 0.6)
    x = (1 - 0.81 + d * d) / (2 * d)
    y = np.sqrt(1 - x * x)
    phi, psi = np.arctan2(y, x), np.arctan2(y, x - d)
    outer = _circle(40, 1.0, 0, 0, phi, 2 * np.pi - phi)
    inner = _circle(40, 0.9, d, 0, psi, 2 * np.pi - psi)[::-1]
    return [("poly", np.concatenate([outer, inner]), c)]


def _hexagon(rng, c):
    return [("poly", _regular(6), c)]


def _heart(rng, c):
    t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [("poly", np.stack([x, y + 2], axis=1) / 17, c)]


def _arrow(rng, c):
    w, head = rng.uniform(0.15, 0.3), rng.uniform(0.3, 0.6)
    return [("poly", np.array([(-1, -w), (1 - head, -w), (1 - head, -0.7), (1, 0), (1 - head, 0.7),
                               (1 - head, w), (-1, w)], float), c)]


def _house(rng, c):
    roof = _distinct(rng, c, 80)
    door = _mix(c, (40, 30, 20), 0.6)
    return [("poly", _rect(-0.7, -0.1, 0.7, 1), c), ("poly", np.array([(-0.9, -0.05), (0, -0.9), (0.9, -0.05)]), roof),
            ("poly", _rect(-0.15, 0.45, 0.15, 1), door), ("poly", _rect(0.3, 0.15, 0.55, 0.4), (200, 225, 245))]


def _tree(rng, c):
    crown = _hsv(rng.uniform(0.2, 0.42), rng.uniform(0.4, 0.9), rng.uniform(0.3, 0.75))
    trunk = _hsv(rng.uniform(0.05, 0.1), rng.uniform(0.4, 0.8), rng.uniform(0.25, 0.5))
    top = ("poly", _regular(3, 1.0) * (0.8, 0.9) + (0, -0.25), crown) if rng.random() < 0.4 else \
        ("poly", _circle(40, 0.7, 0, -0.35), crown)
    return [("poly", _rect(-0.12, 0.1, 0.12, 1), trunk), top]


def _car(rng, c):
    window = (170, 200, 225)
    return [("poly", np.array([(-1, 0.45), (-1, 0.0), (-0.55, -0.05), (-0.3, -0.45), (0.35, -0.45), (0.6, -0.05),
                               (1, 0.05), (1, 0.45)], float), c),
            ("poly", np.array([(-0.25, -0.05), (-0.15, -0.35), (0.05, -0.35), (0.05, -0.05)]),
             window),
            ("poly", np.array([(0.15, -0.05), (0.15, -0.35), (0.3, -0.35), (0.48, -0.05)]), window),
            ("poly", _circle(24, 0.25, -0.55, 0.45), (25, 25, 25)),
            ("poly", _circle(24, 0.25, 0.6, 0.45), (25, 25, 25))]


def _flower(rng, c):
    k = int(rng.integers(5, 9))
    petal = _circle(20, 1.0) * (0.38, 0.18) + (0.5, 0)
    parts = [("line", np.array([(0, 0.2), (0.05, 1.6)]), (60, 130, 50), 0.12)]
    for i in range(k):
        a = 2 * np.pi * i / k
        rotation = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
        parts.append(("poly", petal @ rotation, c))
    parts.append(("poly", _circle(20, 0.25), _distinct(rng, c, 90)))
    return parts


def _umbrella(rng, c):
    canopy = np.concatenate([_circle(30, 1.0, 0, 0, np.pi, 2 * np.pi),
                             *[_circle(8, 0.25, x, 0, 0, np.pi)[::-1] for x in (0.75, 0.25, -0.25, -0.75)]])
    handle = np.concatenate([np.array([(0, 0), (0, 0.85)]), _circle(8, 0.15, -0.15, 0.85, 0, np.pi)])
    return [("poly", canopy, c), ("line", handle, (60, 60, 60), 0.08)]


def _mushroom(rng, c):
    stem = (235, 225, 205)
    parts = [("poly", _rect(-0.22, -0.1, 0.22, 0.9), stem),
             ("poly", _circle(30, 1, 0, 0, np.pi, 2 * np.pi) * (1, 0.75), c)]
    for _ in range(int(rng.integers(2, 6))):
        x, y = rng.uniform(-0.6, 0.6), rng.uniform(-0.55, -0.15)
        parts.append(("poly", _circle(12, 0.1, x, y), (245, 245, 240)))
    return parts


def _clock(rng, c):
    a1, a2 = rng.uniform(0, 2 * np.pi, 2)
    face = (240, 238, 230)
    parts = [("poly", _circle(), c), ("poly", _circle(40, 0.82), face)]
    parts += [("line", np.array([(0.65 * np.cos(t), 0.65 * np.sin(t)), (0.75 * np.cos(t), 0.75 * np.sin(t))]),
               (40, 40, 40), 0.06) for t in np.arange(12) * np.pi / 6]
    parts += [("line", np.array([(0, 0), (r * np.cos(a), r * np.sin(a))]), (20, 20, 20), w)
              for a, r, w in ((a1, 0.45, 0.1), (a2, 0.65, 0.06))]
    return parts


def _cup(rng, c):
    return [("line", _circle(20, 0.3, 0.55, -0.05, -np.pi / 2, np.pi / 2), c, 0.12),
            ("poly", np.array([(-0.65, -0.55), (0.65, -0.55), (0.5, 0.6), (-0.5, 0.6)]), c),
            ("poly", _circle(30, 1, 0, 0.65) * (1, 0.1) + (0, 0.6), _mix(c, (255, 255, 255), 0.5))]


def _bottle(rng, c):
    cap = _distinct(rng, c, 80)
    return [("poly", np.concatenate([_rect(-0.4, -0.2, 0.4, 1)[[3, 2]], np.array([(0.4, -0.2), (0.15, -0.55),
                                                                                  (-0.15, -0.55), (-0.4, -0.2)])]), c),
            ("poly", _rect(-0.15, -0.85, 0.15, -0.5), c), ("poly", _rect(-0.17, -1, 0.17, -0.8), cap),
            ("poly", _rect(-0.4, 0.1, 0.4, 0.5), _mix(c, (255, 255, 255), 0.6))]


def _key(rng, c):
    return [("line", _circle(30, 0.3, -0.65, 0, end=2 * np.pi + 0.3), c, 0.15),
            ("line", np.array([(-0.35, 0), (1, 0)]), c, 0.14),
            ("line", np.array([(0.55, 0), (0.55, 0.3)]), c, 0.12),
            ("line", np.array([(0.85, 0), (0.85, 0.35)]), c, 0.12)]


def _spiral(rng, c):
    t = np.linspace(0, rng.uniform(3, 5) * np.pi, 80)
    r = t / t[-1]
    return [("line", np.stack([r * np.cos(t), r * np.sin(t)], axis=1), c, rng.uniform(0.08, 0.16))]


def _zigzag(rng, c):
    k = int(rng.integers(3, 7))
    x = np.linspace(-1, 1, 2 * k + 1)
    return [("line", np.stack([x, 0.5 * (-1) ** np.arange(2 * k + 1)], axis=1), c, rng.uniform(0.1, 0.2))]


def _window(rng, c):
    frame = ("line", np.concatenate([_rect(-0.8, -0.8, 0.8, 0.8), [(-0.8, -0.8)]]), c, 0.14)
    return [("poly", _rect(-0.8, -0.8, 0.8, 0.8), (180, 210, 235)), frame,
            ("line", np.array([(0, -0.8), (0, 0.8)]), c, 0.1), ("line", np.array([(-0.8, 0), (0.8, 0)]), c, 0.1)]


def _kite(rng, c):
    other = _distinct(rng, c, 80)
    tail = np.stack([np.sin(np.linspace(0, 6, 12)) * 0.15, np.linspace(0.8, 1.6, 12)], axis=1)
    return [("poly", np.array([(0, -1), (0.55, -0.2), (0, 0.8), (-0.55, -0.2)]), c),
            ("line", np.array([(0, -1), (0, 0.8)]), other, 0.05), ("line", tail, other, 0.05)]


def _lamp(rng, c):
    return [("poly", np.array([(-0.5, -0.2), (0.5, -0.2), (0.3, -0.9), (-0.3, -0.9)]), c),
            ("line", np.array([(0, -0.2), (0, 0.8)]), (70, 70, 70), 0.1),
            ("poly", _rect(-0.45, 0.8, 0.45, 0.95), (70, 70, 70))]


def _chair(rng, c):
    w = 0.09
    return [("poly", _rect(-0.5, -1, -0.5 + 2 * w, 0.1), c), ("poly", _rect(-0.5, 0.0, 0.55, 0.15), c),
            ("poly", _rect(-0.5, 0.1, -0.5 + 2 * w, 1), c), ("poly", _rect(0.55 - 2 * w, 0.1, 0.55, 1), c)]


_OBJECTS = {
    "disc": _disc, "ring": _ring, "square": _square, "triangle": _triangle, "star": _star, "plus": _plus,
    "crescent": _crescent, "hexagon": _hexagon, "heart": _heart, "arrow": _arrow, "house": _house, "tree": _tree,
    "car": _car, "flower": _flower, "umbrella": _umbrella, "mushroom": _mushroom, "clock": _clock, "cup": _cup,
    "bottle": _bottle, "key": _key, "spiral": _spiral, "zigzag": _zigzag, "window": _window, "kite": _kite,
    "lamp": _lamp, "chair": _chair,
}
# Objects that have an up and a down are turned by at most this much (radians); symbols turn freely.
_UPRIGHT = {"house", "tree", "car", "flower", "umbrella", "mushroom", "cup", "bottle", "lamp", "chair", "kite"}


def _place(parts, scale, angle, centre, flip):
    rotation = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    placed = []
    for part in parts:
        points = np.asarray(part[1], float) * ((-1 if flip else 1), 1)
        points = points @ rotation * scale + centre
        placed.append((part[0], points, *part[2:]))
    return placed


def _render(draw, parts, scale):
    for part in parts:
        points = [tuple(p) for p in part[1]]
        if part[0] == "poly":
            draw.polygon(points, fill=part[2])
        else:
            draw.line(points, fill=part[2], width=max(1, int(round(part[3] * scale))), joint="curve")


def _draw_object(name, rng, R):
    image, average = _background(rng, R)
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(0, 5))):  # clutter: small strokes and specks that are not the object
        x, y, length = rng.uniform(0, R), rng.uniform(0, R), R * rng.uniform(0.03, 0.12)
        a = rng.uniform(0, np.pi)
        draw.line([(x, y), (x + length * np.cos(a), y + length * np.sin(a))], fill=_colour(rng),
                  width=max(1, int(R * rng.uniform(0.005, 0.02))))
    colour = _distinct(rng, average)
    scale = R * rng.uniform(0.2, 0.4)
    margin = scale * 0.8
    centre = rng.uniform(margin, R - margin, 2)
    angle = rng.uniform(-0.35, 0.35) if name in _UPRIGHT else rng.uniform(0, 2 * np.pi)
    parts = _place(_OBJECTS[name](rng, colour), scale, angle, centre, flip=rng.random() < 0.5)
    if rng.random() < 0.5:  # a soft shadow under the object
        shadow = Image.new("L", (R, R), 0)
        _render(ImageDraw.Draw(shadow), [("poly" if p[0] == "poly" else "line", p[1] + R * 0.03, 255, *p[3:])
                                         for p in parts], scale)
        shadow = shadow.filter(ImageFilter.GaussianBlur(R * 0.02))
        image = Image.composite(Image.new("RGB", (R, R), (0, 0, 0)), image, shadow.point(lambda v: v * 0.35))
        draw = ImageDraw.Draw(image)
    _render(draw, parts, scale)
    return image


# --- Textures ----------------------------------------------------------------------------------

def _texture_field(rng, R):
    """A smooth random field in -1..1, ``(R, R)``: cloud-like shading."""
    k = int(rng.integers(3, 9))
    coarse = rng.normal(0, 1, (k, k))
    field = np.asarray(Image.fromarray(((coarse - coarse.min()) / (np.ptp(coarse) + 1e-9) * 255).astype(np.uint8))
                       .resize((R, R), Image.BICUBIC), float)
    return field / 127.5 - 1


def _texture(name, rng, R):
    x, y = _grid(R)
    a = rng.uniform(0, np.pi)
    u, v = x * np.cos(a) + y * np.sin(a), -x * np.sin(a) + y * np.cos(a)
    period = rng.uniform(0.08, 0.25)
    if name == "stripes":
        t = (u / period) % 1 < rng.uniform(0.3, 0.7)
    elif name == "checks":
        t = ((u // period) + (v // period)) % 2 == 0
    elif name == "dots":
        cu, cv = (u / period) % 1 - 0.5, (v / period) % 1 - 0.5
        t = np.hypot(cu, cv) < rng.uniform(0.15, 0.35)
    elif name == "waves":
        t = 0.5 + 0.5 * np.sin(2 * np.pi * (u + 0.05 * np.sin(2 * np.pi * v / (2 * period))) / period)
    elif name == "bricks":
        row = (v // (period * 0.5)).astype(int)
        t = ~((((u + 0.5 * period * (row % 2)) / period) % 1 < 0.1) | ((v / (period * 0.5)) % 1 < 0.15))
    elif name == "wood":
        cx, cy = rng.uniform(-0.5, 1.5, 2)
        t = 0.5 + 0.5 * np.sin(2 * np.pi * np.hypot((x - cx) * 1.0, (y - cy) * 0.3) / (period * 0.4)
                               + 2 * _texture_field(rng, R))
    elif name == "clouds":
        t = 0.5 + 0.5 * _texture_field(rng, R)
    else:  # mesh: thin lines both ways
        t = ~(((u / period) % 1 < 0.12) | ((v / period) % 1 < 0.12))
    first = _colour(rng)
    second = _distinct(rng, first, 90)
    t = np.asarray(t, float)[..., None]
    canvas = np.asarray(first, float) * t + np.asarray(second, float) * (1 - t)
    canvas *= (1 + 0.2 * _texture_field(rng, R))[..., None]  # uneven light
    return Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))


# --- Hands ------------------------------------------------------------------------------------
# This cartoon hand (outlined, flat-filled, upright and centred) was SIGNS's first generator.
# The shipped MobileNetV2 base (data/mobilenet/) was trained on it, so it lives on here, unchanged,
# to keep this task bit for bit what the base saw; SIGNS itself now uses the photo-like hands of
# :mod:`~course_utils.synthetic.signs`.

# Index, middle, ring, little: knuckle x, length, width, spread direction (degrees).
_HAND_FINGERS = np.array([
    (-0.33, 0.86, 0.205, -11.0),
    (-0.11, 0.97, 0.215, -3.0),
    (0.11, 0.90, 0.205, 5.0),
    (0.33, 0.70, 0.180, 13.0),
])

# Which fingers are up for each count (0 = thumb, 1..4 = index..little); each count has
# the usual ways of showing it, the first being the most common.
_HAND_POSES = {
    0: [()],
    1: [(1,), (1,), (1,), (0,)],
    2: [(1, 2), (1, 2), (0, 1)],
    3: [(1, 2, 3), (0, 1, 2), (1, 2, 3)],
    4: [(1, 2, 3, 4)],
    5: [(0, 1, 2, 3, 4)],
}


def _hand_palm_outline(n_points: int = 40) -> np.ndarray:
    """Rounded-rectangle palm, narrower at the wrist, ``(n_points, 2)`` local coordinates."""
    t = np.linspace(0, 2 * np.pi, n_points, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    x = 0.5 * np.sign(c) * np.abs(c) ** (2 / 3.2)
    y = 0.5 * np.sign(s) * np.abs(s) ** (2 / 3.2) - 0.02
    x = x * (1 - 0.16 * np.clip(y, 0, None) / 0.5)
    return np.stack([x, y], axis=1)


_HAND_PALM = _hand_palm_outline()


def _cartoon_hand(rng: np.random.Generator, count: int) -> np.ndarray:
    """One cartoon hand showing ``count`` fingers (64x64), the source task's hand class.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of every random choice.
    count : int
        Number of raised fingers, 0..5 (the thumb counts).

    Returns
    -------
    numpy.ndarray
        uint8 image of shape ``(64, 64, 3)``.
    """
    raised = _HAND_POSES[count][rng.integers(len(_HAND_POSES[count]))]
    skin = render.skin_tone(rng)
    crease = skin * rng.uniform(0.62, 0.75)

    # Placement: mirror (left/right hand), rotation, palm width in pixels, palm centre.
    mirror = rng.choice([-1.0, 1.0])
    angle = np.deg2rad(rng.normal(0, 4))
    width = rng.uniform(0.32, 0.37) * render.HI
    centre = np.array([rng.uniform(0.45, 0.55), rng.uniform(0.66, 0.72)]) * render.HI
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])

    def place(points) -> np.ndarray:
        points = np.atleast_2d(np.asarray(points, dtype=np.float64)) * [mirror, 1.0]
        return points @ rotation.T * width + centre

    # Finger geometry in local coordinates.
    spread = rng.uniform(1.6, 2.2)
    length_scale = rng.uniform(0.95, 1.12)
    segments = []  # (base, tip, width, raised)
    for index, (knuckle_x, length, finger_width, direction) in enumerate(_HAND_FINGERS, start=1):
        if index in raised:
            a = np.deg2rad(direction * spread + rng.normal(0, 3))
            length = length * length_scale * rng.uniform(0.93, 1.07)
            base = np.array([knuckle_x, -0.38])
            tip = base + (length + 0.12) * np.array([np.sin(a), -np.cos(a)])
        else:  # folded down over the palm, seen from the palm side
            base = np.array([knuckle_x * 0.95, -0.50])
            tip = np.array([knuckle_x * 0.85, rng.uniform(-0.22, -0.12)])
        segments.append((base, tip, finger_width * rng.uniform(0.92, 1.08), index in raised))
    thumb_width = 0.25 * rng.uniform(0.92, 1.08)
    thumb_base = np.array([-0.42, 0.22])
    if 0 in raised:
        a = np.deg2rad(-rng.uniform(35, 70))
        joint = thumb_base + 0.42 * np.array([np.sin(a), -np.cos(a)])
        a2 = a + np.deg2rad(rng.uniform(5, 20))
        thumb = [(thumb_base, joint), (joint, joint + 0.38 * length_scale * np.array([np.sin(a2), -np.cos(a2)]))]
    else:  # tucked across the palm
        thumb = [(thumb_base, np.array([rng.uniform(-0.18, -0.05), rng.uniform(-0.05, 0.08)]))]

    # Keep raised fingertips inside the frame by sliding the hand (never shrinking it).
    tips = [place(tip)[0] for base, tip, w, up in segments if up] + [place(p1)[0] for _, p1 in thumb]
    tips = np.array(tips + [centre])
    margin = 0.05 * render.HI
    shift = np.zeros(2)
    shift[1] = max(0.0, margin - tips[:, 1].min())
    shift[0] = max(0.0, margin - tips[:, 0].min()) - max(0.0, tips[:, 0].max() - (render.HI - margin))
    centre = centre + shift

    colour = Image.new("RGB", (render.HI, render.HI), (0, 0, 0))
    mask = Image.new("L", (render.HI, render.HI), 0)
    draw_c, draw_m = ImageDraw.Draw(colour), ImageDraw.Draw(mask)

    def capsule(p0, p1, w, fill, outline=None) -> None:
        a, b = place(p0)[0], place(p1)[0]
        if outline is not None:
            render.capsule(draw_c, a, b, w * width + 2 * render.SCALE, render.rgb(outline))
        render.capsule(draw_c, a, b, w * width, render.rgb(fill))
        render.capsule(draw_m, a, b, w * width + (2 * render.SCALE if outline is not None else 0), 255)

    # Forearm and, often, a sleeve.
    forearm_width = rng.uniform(0.70, 0.85)
    capsule((0, 0.3), (rng.normal(0, 0.1), 4.0), forearm_width, skin * 0.97)
    if rng.random() < 0.55:
        cloth, top, half = rng.uniform(20, 230, 3), rng.uniform(0.9, 1.4), forearm_width * 0.68
        cuff = [tuple(p) for p in place([(-half, top), (half, top), (half * 1.2, 4.5), (-half * 1.2, 4.5)])]
        draw_c.polygon(cuff, fill=render.rgb(cloth), outline=render.rgb(cloth * 0.7))
        draw_m.polygon(cuff, fill=255)
    palm = [tuple(p) for p in place(_HAND_PALM)]
    draw_c.polygon(palm, fill=render.rgb(skin), outline=render.rgb(crease))
    draw_m.polygon(palm, fill=255)
    # Palm creases: two faint lines.
    for y0, y1 in ((-0.22, -0.08), (0.05, 0.2)):
        line = place([(-0.45, y0), (0.0, (y0 + y1) / 2 - 0.04), (0.35, y1)])
        draw_c.line([tuple(p) for p in line], fill=render.rgb(skin * 0.85), width=render.SCALE)
    for base, tip, w, up in segments:
        if up:
            capsule(base + 0.3 * (tip - base), tip, w, skin, outline=crease)
            capsule(base, tip, w, skin)
        else:
            capsule(base, tip, w * 1.05, skin * 0.93, outline=crease)
    for p0, p1 in thumb:
        capsule(p0, p1, thumb_width, skin * 0.98, outline=crease)

    # Shading: rounded edges, a directional light, and a soft shadow on the wall.
    hand = np.asarray(colour, dtype=np.float64)
    alpha = np.asarray(mask, dtype=np.float64) / 255
    rim = render.blur(alpha, 2.5 * render.SCALE)
    x, y = render.grid()
    light_angle = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0.1, 0.35) * ((x - 0.5) * np.cos(light_angle) + (y - 0.5) * np.sin(light_angle))
    hand = hand * ((0.72 + 0.28 * np.clip(2 * rim - 0.6, 0, 1)) * light)[..., None]

    wall = rng.uniform(175, 240) * rng.uniform(0.92, 1.08, 3)
    wall = np.clip(wall, 150, 255)
    canvas = render.background(rng, wall)
    offset = (rng.normal(0, 3 * render.SCALE, 2)).round().astype(int)
    shadow = render.shifted(alpha, offset)
    shadow = render.blur(shadow, rng.uniform(3, 7) * render.SCALE) * rng.uniform(0.15, 0.4)
    canvas = canvas * (1 - shadow)[..., None]
    canvas = canvas * (1 - alpha[..., None]) + hand * alpha[..., None]
    return render.finish(rng, canvas)


_TEXTURES = ("stripes", "checks", "dots", "waves", "bricks", "wood", "clouds", "mesh")
_HANDS = tuple(f"hand, {k} finger{'s' if k != 1 else ''}" for k in range(6))
_FACES = ("smiling face", "face, not smiling")

#: The 43 classes of the source task, in label order.
CLASS_NAMES = (*_OBJECTS, *_TEXTURES, *_HANDS, *_FACES, "road scene")


def finish(rng, image, size):
    """Reduce a PIL canvas to ``size x size`` and add a camera's exposure, white balance, blur, noise.

    Returns
    -------
    numpy.ndarray
        uint8, shape ``(size, size, 3)``.
    """
    image = image.convert("RGB").resize((size, size), Image.Resampling.BOX if image.width > size
                                        else Image.Resampling.BILINEAR)
    if rng.random() < 0.4:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    pixels = np.asarray(image, float) * rng.uniform(0.8, 1.15) * rng.uniform(0.93, 1.07, 3)
    pixels += rng.normal(0, rng.uniform(1, 6), pixels.shape)
    return np.clip(np.rint(pixels), 0, 255).astype(np.uint8)


def draw(label, rng, size=SIZE):
    """One picture of class ``label``.

    Parameters
    ----------
    label : int
        Index into :data:`CLASS_NAMES`.
    rng : numpy.random.Generator
        Source of every random choice.
    size : int, default 96
        Height and width, pixels (at least 32).

    Returns
    -------
    numpy.ndarray
        uint8, shape ``(size, size, 3)``.
    """
    label = _validate.integer(label, "label", minimum=0)
    if label >= len(CLASS_NAMES):
        raise ValueError(f"label must be below {len(CLASS_NAMES)} (the number of classes); got {label}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    size = _validate.integer(size, "size", minimum=32)
    name = CLASS_NAMES[label]
    R = size * _SUPERSAMPLE
    if name in _OBJECTS:
        return finish(rng, _draw_object(name, rng, R), size)
    if name in _TEXTURES:
        return finish(rng, _texture(name, rng, R), size)
    if name in _HANDS:
        return finish(rng, Image.fromarray(_cartoon_hand(rng, _HANDS.index(name))), size)
    if name in _FACES:
        from course_utils.synthetic.happy import draw_face

        return finish(rng, Image.fromarray(draw_face(rng, name == _FACES[0])), size)
    from course_utils.synthetic.driving import make_scene

    return finish(rng, Image.fromarray(make_scene(int(rng.integers(2**31)), size)[0]), size)


def make_dataset(n, seed=0, size=SIZE):
    """``n`` labelled pictures of the 43 classes, balanced: picture ``i`` shows class ``i % 43``.

    Parameters
    ----------
    n : int
        Number of pictures (>= 1).
    seed : int, default 0
        Picture ``i`` is drawn from ``numpy.random.default_rng([seed, i])``: the same
        ``(seed, i)`` always gives the same picture, whatever ``n`` is.
    size : int, default 96

    Returns
    -------
    X : numpy.ndarray, uint8, shape (n, size, size, 3)
    y : numpy.ndarray, int64, shape (n,)
        Labels, indices into :data:`CLASS_NAMES`.
    """
    n = _validate.integer(n, "n", minimum=1)
    seed = _validate.integer(seed, "seed", minimum=0)
    X = np.empty((n, size, size, 3), np.uint8)
    y = np.empty(n, np.int64)
    for i in range(n):
        y[i] = i % len(CLASS_NAMES)
        X[i] = draw(int(y[i]), np.random.default_rng([seed, i]), size)
    return X, y
