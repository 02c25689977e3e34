"""Synthetic faces, smiling or not, for the HAPPY-like dataset.

The label is carried by the mouth (corners raised, often open with teeth, wider) and the
eyes (narrowed, sometimes closed into arcs, when smiling). Both cues are drawn from
overlapping distributions, and everything else (face shape, skin, hair, glasses, pose,
lighting, background) is drawn independently of the label.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from course_utils.synthetic import render

_HAIR = np.array([(25, 20, 18), (60, 40, 28), (105, 70, 40), (150, 110, 60), (205, 170, 105),
                  (150, 60, 30), (160, 160, 160), (225, 225, 220)], dtype=np.float64)
_IRIS = np.array([(70, 45, 25), (40, 25, 15), (70, 110, 150), (80, 110, 70), (110, 90, 60)], dtype=np.float64)


def _curve(left, right, lift: float, n: int = 12) -> list[tuple[float, float]]:
    """Points of a parabola from ``left`` to ``right`` whose ends sit ``lift`` above its middle."""
    t = np.linspace(-1, 1, n)
    x = left[0] + (t + 1) / 2 * (right[0] - left[0])
    y = left[1] + (t + 1) / 2 * (right[1] - left[1]) + lift * (1 - t ** 2)
    return list(zip(x.tolist(), y.tolist(), strict=True))


def draw_face(rng: np.random.Generator, smiling: bool) -> np.ndarray:
    """One face, smiling or not.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of every random choice.
    smiling : bool
        The label.

    Returns
    -------
    numpy.ndarray
        uint8 image of shape ``(64, 64, 3)``.
    """
    hi = render.HI
    skin = render.skin_tone(rng)
    hair = _HAIR[rng.integers(len(_HAIR))] * rng.uniform(0.85, 1.15)
    cx, cy = hi * rng.uniform(0.47, 0.53), hi * rng.uniform(0.47, 0.53)
    rx = hi * rng.uniform(0.26, 0.30)
    ry = rx * rng.uniform(1.15, 1.3)
    line = max(1, int(round(0.035 * rx)))

    layer = Image.new("RGBA", (hi, hi), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    style = rng.choice(["short", "long", "bangs", "bald", "bun"], p=[0.35, 0.3, 0.15, 0.1, 0.1])

    # Behind the face: shirt, neck, long hair.
    shirt = render.rgb(rng.uniform(15, 235, 3))
    d.ellipse([cx - 1.9 * rx, cy + 1.25 * ry, cx + 1.9 * rx, cy + 3.2 * ry], fill=shirt)
    d.rectangle([cx - 0.45 * rx, cy + 0.5 * ry, cx + 0.45 * rx, cy + 1.45 * ry], fill=render.rgb(skin * 0.85))
    if style == "long":
        d.ellipse([cx - 1.18 * rx, cy - 1.15 * ry, cx + 1.18 * rx, cy + 0.9 * ry], fill=render.rgb(hair))
        d.rectangle([cx - 1.18 * rx, cy - 0.1 * ry, cx + 1.18 * rx, cy + rng.uniform(0.9, 1.5) * ry],
                    fill=render.rgb(hair))
    if style == "bun":
        d.ellipse([cx - 0.45 * rx, cy - 1.45 * ry, cx + 0.45 * rx, cy - 0.75 * ry], fill=render.rgb(hair))
    # Ears and face.
    for side in (-1, 1):
        ex = cx + side * 0.97 * rx
        d.ellipse([ex - 0.16 * rx, cy - 0.22 * ry, ex + 0.16 * rx, cy + 0.12 * ry], fill=render.rgb(skin * 0.92))
    d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=render.rgb(skin))
    # Hair on top.
    if style != "bald":
        cut = rng.uniform(8, 30)
        d.chord([cx - 1.06 * rx, cy - 1.08 * ry, cx + 1.06 * rx, cy + 0.75 * ry], 180 + cut, 360 - cut,
                fill=render.rgb(hair))
        if style == "bangs":
            d.chord([cx - 0.95 * rx, cy - 1.0 * ry, cx + 0.95 * rx, cy - 0.1 * ry], 170, 370,
                     fill=render.rgb(hair))

    # Eyes: narrower when smiling, sometimes closed into arcs.
    openness = rng.uniform(0.15, 0.85) if smiling else rng.uniform(0.55, 1.1)
    eye_y = cy - rng.uniform(0.02, 0.14) * ry
    eye_dx, eye_w = rng.uniform(0.34, 0.44) * rx, rng.uniform(0.13, 0.17) * rx
    iris = render.rgb(_IRIS[rng.integers(len(_IRIS))])
    dark = render.rgb(skin * 0.35)
    brow_tilt = rng.uniform(-0.08, 0.08) * rx
    brow_y = eye_y - rng.uniform(0.16, 0.26) * ry
    for side in (-1, 1):
        ex = cx + side * eye_dx
        eh = eye_w * 0.6 * openness
        if smiling and openness < 0.35:  # closed, curved like an upside-down U
            d.line(_curve((ex - eye_w, eye_y + 0.3 * eye_w), (ex + eye_w, eye_y + 0.3 * eye_w), -0.55 * eye_w),
                   fill=dark, width=line + 1)
        else:
            d.ellipse([ex - eye_w, eye_y - eh, ex + eye_w, eye_y + eh], fill=(240, 238, 232), outline=dark,
                      width=line)
            r = min(eh, 0.5 * eye_w)
            d.ellipse([ex - r, eye_y - r, ex + r, eye_y + r], fill=iris)
            d.ellipse([ex - r / 2, eye_y - r / 2, ex + r / 2, eye_y + r / 2], fill=(10, 10, 10))
            d.line(_curve((ex - eye_w, eye_y), (ex + eye_w, eye_y), -eh), fill=dark, width=line + 1)
        inner, outer = ex - side * 1.1 * eye_w, ex + side * 1.2 * eye_w
        d.line([(inner, brow_y + side * 0 + brow_tilt), (outer, brow_y - brow_tilt)],
               fill=render.rgb(hair * 0.8), width=line + 2)

    # Nose.
    nose_y = cy + rng.uniform(0.18, 0.28) * ry
    d.line(_curve((cx - 0.1 * rx, nose_y), (cx + 0.1 * rx, nose_y), 0.05 * rx, 6), fill=render.rgb(skin * 0.7),
           width=line + 1)

    # Mouth: corners raised when smiling (and often open with teeth), flat or down otherwise.
    mouth_y = cy + rng.uniform(0.47, 0.54) * ry
    lips = render.rgb(skin * 0.62 + np.array([45, 5, 5]))
    if smiling:
        half = rng.uniform(0.36, 0.52) * rx
        lift = rng.uniform(0.45, 0.75) * half
    else:
        half = rng.uniform(0.2, 0.34) * rx
        lift = rng.uniform(-0.3, 0.0) * half
    left, right = (cx - half, mouth_y - lift), (cx + half, mouth_y - lift)
    if smiling and rng.random() < 0.85:
        lower = _curve(left, right, lift + rng.uniform(0.25, 0.5) * half)
        upper = _curve(left, right, lift * 0.45)
        d.polygon(upper + lower[::-1], fill=(90, 25, 30), outline=lips)
        teeth = _curve(left, right, lift * 0.45 + 0.16 * half)
        d.polygon(upper + teeth[::-1], fill=(235, 232, 220))
        d.line(lower, fill=lips, width=line + 1)
    elif not smiling and rng.random() < 0.12:  # a small open "o"
        r = rng.uniform(0.07, 0.12) * rx
        d.ellipse([cx - r, mouth_y - r, cx + r, mouth_y + r * 1.3], fill=(90, 25, 30), outline=lips, width=line)
    else:
        d.line(_curve(left, right, lift), fill=lips, width=line + 3)

    # Glasses.
    if rng.random() < 0.3:
        frame = render.rgb(rng.uniform(0, 120, 3))
        lens = 1.55 * eye_w
        for side in (-1, 1):
            ex = cx + side * eye_dx
            d.ellipse([ex - lens, eye_y - 0.8 * lens, ex + lens, eye_y + 0.8 * lens], outline=frame, width=line + 1)
        d.line([(cx - eye_dx + lens, eye_y), (cx + eye_dx - lens, eye_y)], fill=frame, width=line + 1)

    # Head tilt, then shading and compositing on a background.
    layer = layer.rotate(rng.normal(0, 3), resample=Image.BICUBIC, center=(cx, cy))
    rgba = np.asarray(layer, dtype=np.float64)
    person, alpha = rgba[..., :3], rgba[..., 3] / 255
    x, y = render.grid()
    light_angle = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0.1, 0.45) * ((x - cx / hi) * np.cos(light_angle) + (y - cy / hi) * np.sin(light_angle))
    rim = render.blur(alpha, 3.0 * render.SCALE)
    person = person * ((0.8 + 0.2 * np.clip(2 * rim - 0.6, 0, 1)) * light)[..., None]

    base = rng.uniform(40, 235) * rng.uniform(0.7, 1.3, 3)
    canvas = render.background(rng, np.clip(base, 20, 255), texture=rng.uniform(5, 30))
    shadow = render.shifted(alpha, rng.normal(0, 4 * render.SCALE, 2).round())
    canvas = canvas * (1 - render.blur(shadow, 6 * render.SCALE) * rng.uniform(0.1, 0.35))[..., None]
    canvas = canvas * (1 - alpha[..., None]) + person * alpha[..., None]
    return render.finish(rng, canvas)
