"""Synthetic hand signs: a photographed hand in front of a wall, showing 0 to 5 fingers.

The drawing follows what the course's SIGNS photos show (its notebooks print samples):

- the classes' conventions: 0 is an "O" seen from the side (the fingertips curled round to touch
  the thumb, with a hole you can see the wall through, not a fist); 1 the index finger; 2 index
  and middle in a V; 3 thumb, index and middle; 4 four fingers with the thumb folded across the
  palm; 5 the open hand;
- the pose: the palm towards the camera, the hand entering from the bottom edge (more often
  from the lower right) with the wrist and part of the forearm in view, mostly tilted by a few
  degrees and one time in ten by up to 45, filling 40 to 70 % of the frame, not always centred;
- the rendering: a plain wall from light grey to warm off-white, a soft shadow beside the hand,
  skin shaded like a photograph (each finger and the palm rounded by its own light and shadow;
  no outlines, no flat fills), mostly light to medium skin under warm indoor light, often a
  sleeve, a gentle blur at 64x64.

The hand is described in its own coordinates, with the palm's width as the unit, the palm
centred on the origin and the fingers pointing up (negative y); a random transform (mirror for
a left or right hand, rotation, a slight turn of the palm, scale, position) places it in the
frame. Each part is drawn as its own mask at twice the final size and shaded on its own, so
overlapping fingers stay apart by their shading, as in a photograph.

(The first generator drew outlined, flat cartoon hands; it lives on in
:mod:`~course_utils.synthetic.objects`, whose source task was trained on it.)
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from course_utils.synthetic import render

# Index, middle, ring, little: knuckle x, length (knuckle to tip), width at the base, spread (degrees).
_FINGER_SHAPES = np.array([
    (-0.34, 0.88, 0.25, -9.0),
    (-0.11, 0.98, 0.26, -2.0),
    (0.12, 0.91, 0.245, 5.0),
    (0.34, 0.72, 0.22, 12.0),
])
_KNUCKLE_Y = -0.40

# Raised fingers for each class (0 = thumb, 1..4 = index..little), by the course's conventions.
_RAISED = {1: (1,), 2: (1, 2), 3: (0, 1, 2), 4: (1, 2, 3, 4), 5: (0, 1, 2, 3, 4)}

# The pose's ranges: rotation (degrees; negative turns the fingers to the left, so that the forearm
# comes in from the lower right), its spread, the share of strongly tilted hands (up to 45 degrees),
# the palm's width and centre (fractions of the frame).
_POSE = {"tilt": -4.0, "tilt_spread": 6.0, "wide": 0.1, "palm": (0.31, 0.39), "x": (0.44, 0.56), "y": (0.63, 0.73)}

# Warm wall of the course's photos: mean RGB about (195, 181, 169).
_WALL = np.array([195.0, 181.0, 169.0])


def _skin(rng: np.random.Generator) -> np.ndarray:
    """Skin, ``(3,)`` float RGB: mostly light to medium, sometimes darker, under warm indoor light.

    Skin reflects less than a painted wall, so the hand comes out darker than the wall behind it.
    """
    position = 6.99 * rng.beta(1.2, 3.5)  # within render.SKIN_TONES; the median is about 1.5 of 7
    low = int(position)
    colour = render.SKIN_TONES[low] + (position - low) * (render.SKIN_TONES[low + 1] - render.SKIN_TONES[low])
    return colour * rng.uniform(0.92, 1.08, 3) * np.array([0.78, 0.66, 0.56])


def _limb(draw: ImageDraw.ImageDraw, points: np.ndarray, widths: np.ndarray) -> None:
    """A tapering tube through ``points`` ``(k, 2)`` with ``widths`` ``(k,)``, all in pixels."""
    for (p, q), (w0, w1) in zip(zip(points[:-1], points[1:], strict=True),
                                zip(widths[:-1], widths[1:], strict=True), strict=True):
        direction = q - p
        normal = np.array([-direction[1], direction[0]]) / (np.hypot(*direction) + 1e-9)
        quad = [p + normal * w0 / 2, q + normal * w1 / 2, q - normal * w1 / 2, p - normal * w0 / 2]
        draw.polygon([tuple(v) for v in quad], fill=255)
    for (x, y), w in zip(points, widths, strict=True):
        draw.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=255)


def _arc(centre, radius: float, start: float, stop: float, n: int = 14) -> np.ndarray:
    """``n`` points ``(n, 2)`` on a circle from angle ``start`` to ``stop`` (degrees, y downwards)."""
    t = np.deg2rad(np.linspace(start, stop, n))
    return np.asarray(centre, dtype=np.float64) + radius * np.stack([np.cos(t), np.sin(t)], axis=1)


def _palm(rng: np.random.Generator) -> np.ndarray:
    """Outline of the palm seen from the front, ``(48, 2)``: wide at the knuckles, narrower at the wrist."""
    t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    x, y = np.cos(t), np.sin(t)
    # A squarish ellipse: |x|^p + |y|^p = 1 with p about 3.
    p = rng.uniform(2.6, 3.4)
    x = 0.5 * np.sign(x) * np.abs(x) ** (2 / p)
    y = 0.52 * np.sign(y) * np.abs(y) ** (2 / p)
    x = x * (1 - 0.22 * np.clip(y, 0, None) / 0.52)  # taper towards the wrist
    return np.stack([x, y], axis=1)


def _finger(rng, knuckle_x, length, width, direction, up, length_scale, spread):
    """Points and widths of one finger in hand coordinates: raised (two slightly bent joints) or curled."""
    base = np.array([knuckle_x, _KNUCKLE_Y + 0.05])
    if up:
        angle = np.deg2rad(direction * spread + rng.normal(0, 3))
        bend = np.deg2rad(rng.normal(0, 4))
        length = length * length_scale * rng.uniform(0.94, 1.06)
        middle = base + 0.55 * length * np.array([np.sin(angle), -np.cos(angle)])
        tip = middle + 0.45 * length * np.array([np.sin(angle + bend), -np.cos(angle + bend)])
        return np.stack([base + [0, 0.1], middle, tip]), np.array([1.08, 0.95, 0.82]) * width
    # Curled into the palm: the first joint shows as a short, wide bump above the knuckles,
    # the fingertip tucked in below it.
    top = np.array([knuckle_x * 0.96, _KNUCKLE_Y - rng.uniform(0.04, 0.1)])
    tip = np.array([knuckle_x * 0.9, _KNUCKLE_Y + rng.uniform(0.12, 0.22)])
    return np.stack([top, tip]), np.array([1.12, 1.0]) * width


def _hand_parts(rng: np.random.Generator, count: int):
    """The parts of a hand showing ``count``, back to front: ``[(name, points, widths or None)]``.

    A part with widths is a tube through its points; without, a filled polygon.
    """
    forearm_width = rng.uniform(0.66, 0.78)
    forearm = ("forearm", np.array([[0.0, 0.35], [rng.normal(0, 0.08), 4.5]]),
               np.array([forearm_width, forearm_width * 1.2]))
    # Often a sleeve, pulled back far enough to leave the wrist in view. Its colours matter for
    # more than looks: on hands and walls alone (all beige), the course's recipe (Adam at 0.009)
    # often drove every ReLU of the ConvNet's first layer to zero in the project's trials, and
    # the model stayed at chance; with sleeves in view it trained from each of seeds 0, 1, 2.
    if rng.random() < 0.65:
        top = rng.uniform(0.7, 1.1)
        half = 0.65 * forearm_width
        cuff = np.array([[-half, top], [half, top + rng.normal(0, 0.05)], [1.2 * half, 4.6], [-1.2 * half, 4.6]])
        forearm = [forearm, ("sleeve", cuff, None)]
    else:
        forearm = [forearm]
    if count == 0:
        return [*forearm, *_o_sign(rng)]
    raised = _RAISED[count]
    spread = rng.uniform(1.4, 2.1) if count != 2 else rng.uniform(2.3, 3.2)
    length_scale = rng.uniform(0.92, 1.08)
    palm = ("palm", _palm(rng), None)
    thenar = ("palm", np.array([[-0.30, 0.30], [-0.18, 0.05]]), np.array([0.42, 0.38]))  # ball of the thumb
    fingers = [("finger", *_finger(rng, *_FINGER_SHAPES[k - 1], k in raised, length_scale, spread))
               for k in range(1, 5)]
    curled = [f for f, k in zip(fingers, range(1, 5), strict=True) if k not in raised]
    up = [f for f, k in zip(fingers, range(1, 5), strict=True) if k in raised]
    thumb_width = rng.uniform(0.24, 0.28)
    if 0 in raised:  # out to the side and up
        a = np.deg2rad(-rng.uniform(50, 80))
        base = np.array([-0.36, 0.22])
        joint = base + 0.46 * np.array([np.sin(a), -np.cos(a)])
        a2 = a + np.deg2rad(rng.uniform(0, 15))
        tip = joint + 0.40 * length_scale * np.array([np.sin(a2), -np.cos(a2)])
        thumb = ("finger", np.stack([base, joint, tip]), np.array([1.4, 1.0, 0.85]) * thumb_width)
    else:  # folded across the palm (over the curled fingers when there are any)
        reach = rng.uniform(0.05, 0.25) if count == 4 else rng.uniform(0.0, 0.3)
        height = rng.uniform(-0.05, 0.1) if count == 4 else rng.uniform(-0.3, -0.15)
        base = np.array([-0.36, 0.25])
        tip = np.array([reach, height])
        joint = base + 0.5 * (tip - base) + [-0.06, -0.02]
        thumb = ("thumb", np.stack([base, joint, tip]), np.array([1.3, 1.0, 0.9]) * thumb_width)
    return [*forearm, palm, thenar, *up, *curled, thumb]


def _o_sign(rng: np.random.Generator):
    """The "O" seen from the side: the fingers curl over to meet the thumb round a hole."""
    thickness = rng.uniform(0.19, 0.24)
    hole = rng.uniform(0.16, 0.24)  # radius of the see-through hole
    radius = hole + thickness / 2
    centre = np.array([rng.uniform(-0.3, -0.15), -0.55 - radius * 0.6])
    body = ("palm", _palm(rng) * [rng.uniform(0.8, 0.95), 1.0], None)  # the hand seen edge-on is narrower
    behind = []
    for k in range(rng.integers(2, 4)):  # the other fingers, stacked beside the index
        offset = np.array([0.07, -0.04]) * (k + 1)
        points = _arc(centre + offset, radius + 0.02 * k, rng.uniform(10, 30), rng.uniform(-170, -130))
        behind.append(("finger", points, np.linspace(1.05, 0.85, len(points)) * thickness))
    meet = rng.uniform(150, 175)  # where the fingertips touch the thumb
    index = _arc(centre, radius, rng.uniform(15, 35), meet - 360)
    thumb = _arc(centre, radius, rng.uniform(80, 100), meet - rng.uniform(0, 8))
    thumb = np.concatenate([[[0.0, 0.1]], thumb])  # from the ball of the thumb
    return [body, *behind, ("finger", index, np.linspace(1.1, 0.85, len(index)) * thickness),
            ("thumb", thumb, np.linspace(1.5, 0.9, len(thumb)) * thickness)]


def _shade(mask: np.ndarray, width_px: float, light: np.ndarray) -> np.ndarray:
    """Photographic shading of one rounded part from its mask ``(HI, HI)``, about 0.4 (edge) to 1.2.

    The part darkens towards its own edges (a tube turning away from the camera) and is brighter
    on the side facing the light.
    """
    soft = max(1.0, 0.16 * width_px)
    inside = render.blur(mask, soft)
    lit = render.blur(render.shifted(mask, np.round(light * soft * 1.5)), soft)
    roundness = np.clip(2 * inside - 0.4, 0, 1) ** 0.7
    return 0.4 + 0.55 * roundness + 0.5 * (lit - 0.5) * roundness


def draw_hand(rng: np.random.Generator, count: int) -> np.ndarray:
    """One photograph-like hand showing ``count`` fingers.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of every random choice.
    count : int
        The sign, 0..5 (the thumb counts; 0 is the "O").

    Returns
    -------
    numpy.ndarray
        uint8 image of shape ``(64, 64, 3)``.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or not 0 <= count <= 5:
        raise ValueError(f"count must be an integer from 0 to 5 (the sign); got {count!r}")
    hi = render.HI
    parts = _hand_parts(rng, int(count))
    skin = _skin(rng)
    cloth = rng.uniform(15, 235, 3)

    # Placement: mirror, a slight turn of the palm, rotation (the forearm comes in from the
    # bottom, more often from the lower right), palm width, palm centre.
    mirror = rng.choice([-1.0, 1.0])
    turn = rng.uniform(0.85, 1.05)
    if rng.random() < _POSE["wide"]:  # now and then a strong tilt, mostly to the left
        angle = np.deg2rad(rng.uniform(-45, 30))
    else:
        angle = np.deg2rad(rng.normal(_POSE["tilt"], _POSE["tilt_spread"]))
    width = rng.uniform(*_POSE["palm"]) * hi
    centre = np.array([rng.uniform(*_POSE["x"]), rng.uniform(*_POSE["y"])]) * hi
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])

    def place(points, at) -> np.ndarray:
        return (np.asarray(points, dtype=np.float64) * [mirror * turn, 1.0]) @ rotation.T * width + at

    # Keep the hand's top inside the frame by sliding it (never shrinking it).
    extent = np.concatenate([place(points, centre) for name, points, _ in parts if name not in ("forearm", "sleeve")])
    margin = 0.04 * hi
    shift = np.array([max(0.0, margin - extent[:, 0].min()) - max(0.0, extent[:, 0].max() - (hi - margin)),
                      max(0.0, margin - extent[:, 1].min())])
    centre = centre + shift

    light_angle = rng.uniform(-np.pi, 0)  # from above, left or right
    light = np.array([np.cos(light_angle), np.sin(light_angle)])
    x, y = render.grid()
    ramp = 1 + rng.uniform(0.05, 0.2) * ((x - 0.5) * light[0] + (y - 0.5) * light[1])
    # The wall: around the photos' warm off-white, from neutral or slightly cool greys to warmer ones.
    warmth = rng.uniform(-0.3, 1.8)
    wall = _WALL.mean() + warmth * (_WALL - _WALL.mean())
    wall = wall * rng.uniform(0.82, 1.2) * rng.uniform(0.97, 1.03, 3)
    canvas = render.background(rng, wall, texture=4.0)

    hand_colour = np.zeros((hi, hi, 3))
    alpha = np.zeros((hi, hi))
    for name, points, widths in parts:
        layer = Image.new("L", (hi, hi), 0)
        if widths is None:
            ImageDraw.Draw(layer).polygon([tuple(p) for p in place(points, centre)], fill=255)
            size = width
        else:
            _limb(ImageDraw.Draw(layer), place(points, centre), widths * width)
            size = float(widths.mean()) * width
        mask = np.asarray(layer, dtype=np.float64) / 255
        tone = cloth if name == "sleeve" else skin * {"forearm": 0.97, "palm": 1.0, "finger": 1.0, "thumb": 0.97}[name]
        part = tone * _shade(mask, size, light)[..., None]
        hand_colour = hand_colour * (1 - mask[..., None]) + part * mask[..., None]
        alpha = np.maximum(alpha, mask)
    hand_colour = hand_colour * ramp[..., None]

    # A soft shadow on the wall, away from the light.
    offset = np.round(-light * rng.uniform(2, 5) * render.SCALE)
    shadow = render.blur(render.shifted(alpha, offset), rng.uniform(1.5, 4) * render.SCALE)
    canvas = canvas * (1 - rng.uniform(0.3, 0.55) * shadow)[..., None]
    canvas = canvas * (1 - alpha[..., None]) + hand_colour * alpha[..., None]
    return render.finish(rng, canvas, max_blur=0.5, max_noise=4.0, white_balance=(0.97, 1.03))
