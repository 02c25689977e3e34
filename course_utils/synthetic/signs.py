"""Synthetic hand signs: a hand held up in front of a wall, showing 0 to 5 fingers.

The hand is described in its own coordinates, with the palm's width as the unit, the palm
centred on the origin and the fingers pointing up (negative y). A random similarity
transform (mirror for a left or right hand, rotation, scale, position) places it in the
frame; the forearm is long enough to always leave the picture at the bottom.

The framing follows the course's SIGNS photos: the hand fills much of the picture, roughly
upright and centred, with the raised fingers spread so that each one stays distinct at 64x64.
Skin tone, wall colour, lighting, shadow, sleeve, blur and noise vary widely; position, size and
rotation vary only as much as they do in those photos, so that a 1,310-parameter ConvNet can
count the fingers (see section 1.5).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from course_utils.synthetic import render

# Index, middle, ring, little: knuckle x, length, width, spread direction (degrees).
_FINGERS = np.array([
    (-0.33, 0.86, 0.205, -11.0),
    (-0.11, 0.97, 0.215, -3.0),
    (0.11, 0.90, 0.205, 5.0),
    (0.33, 0.70, 0.180, 13.0),
])

# Which fingers are up for each count (0 = thumb, 1..4 = index..little); each count has
# the usual ways of showing it, the first being the most common.
_POSES = {
    0: [()],
    1: [(1,), (1,), (1,), (0,)],
    2: [(1, 2), (1, 2), (0, 1)],
    3: [(1, 2, 3), (0, 1, 2), (1, 2, 3)],
    4: [(1, 2, 3, 4)],
    5: [(0, 1, 2, 3, 4)],
}


def _palm_outline(n_points: int = 40) -> np.ndarray:
    """Rounded-rectangle palm, narrower at the wrist, ``(n_points, 2)`` local coordinates."""
    t = np.linspace(0, 2 * np.pi, n_points, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    x = 0.5 * np.sign(c) * np.abs(c) ** (2 / 3.2)
    y = 0.5 * np.sign(s) * np.abs(s) ** (2 / 3.2) - 0.02
    x = x * (1 - 0.16 * np.clip(y, 0, None) / 0.5)
    return np.stack([x, y], axis=1)


_PALM = _palm_outline()


def draw_hand(rng: np.random.Generator, count: int) -> np.ndarray:
    """One hand showing ``count`` fingers.

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
    raised = _POSES[count][rng.integers(len(_POSES[count]))]
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
    for index, (knuckle_x, length, finger_width, direction) in enumerate(_FINGERS, start=1):
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
    palm = [tuple(p) for p in place(_PALM)]
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
