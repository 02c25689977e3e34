"""Drawing primitives shared by the synthetic SIGNS and HAPPY generators.

Images are drawn at twice the final size with Pillow, shaded with numpy, then reduced to
64x64 so that edges come out anti-aliased, as in a photograph. Every random choice comes
from the ``numpy.random.Generator`` passed in, so an image is a pure function of its seed.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = 64  # final image side, pixels
SCALE = 2  # drawing is done at SCALE * SIZE
HI = SIZE * SCALE

# Skin tones from very light to very dark (sRGB), interpolated between neighbours.
SKIN_TONES = np.array([
    (246, 214, 190), (234, 192, 160), (224, 172, 138), (198, 145, 108),
    (170, 118, 84), (141, 93, 62), (110, 70, 46), (80, 52, 36),
], dtype=np.float64)


def skin_tone(rng: np.random.Generator) -> np.ndarray:
    """A random skin colour, shape ``(3,)``, float RGB in 0..255."""
    position = rng.uniform(0, len(SKIN_TONES) - 1)
    low = int(np.floor(position))
    high = min(low + 1, len(SKIN_TONES) - 1)
    colour = SKIN_TONES[low] + (position - low) * (SKIN_TONES[high] - SKIN_TONES[low])
    return np.clip(colour * rng.uniform(0.95, 1.05, 3), 0, 255)


def rgb(colour) -> tuple[int, int, int]:
    """Float colour ``(3,)`` to the integer tuple Pillow expects."""
    return tuple(int(round(c)) for c in np.clip(colour, 0, 255))


def grid() -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates of the drawing canvas, each ``(HI, HI)``, in 0..1."""
    axis = (np.arange(HI) + 0.5) / HI
    return np.meshgrid(axis, axis)  # x, y


def background(rng: np.random.Generator, base: np.ndarray, texture: float = 8.0) -> np.ndarray:
    """A wall-like background: base colour, a lighting gradient and soft blotches.

    Returns
    -------
    numpy.ndarray
        ``(HI, HI, 3)`` float RGB.
    """
    x, y = grid()
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (x - 0.5) * np.cos(angle) + (y - 0.5) * np.sin(angle)
    light = 1 + rng.uniform(0.05, 0.35) * ramp
    vignette = 1 - rng.uniform(0.0, 0.25) * ((x - 0.5) ** 2 + (y - 0.5) ** 2)
    coarse = rng.normal(0, 1, (4, 4, 3))
    blotches = np.asarray(Image.fromarray(((coarse - coarse.min()) / (np.ptp(coarse) + 1e-9) * 255)
                                          .astype(np.uint8)).resize((HI, HI), Image.BICUBIC), dtype=np.float64)
    blotches = (blotches / 255 - 0.5) * texture
    return base * (light * vignette)[..., None] + blotches


def capsule(draw: ImageDraw.ImageDraw, p0, p1, width: float, fill) -> None:
    """A line segment with round ends (a finger, a forearm) from ``p0`` to ``p1``."""
    radius = width / 2
    draw.line([tuple(p0), tuple(p1)], fill=fill, width=max(1, int(round(width))))
    for x, y in (p0, p1):
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=fill)


def blur(mask: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian blur of a float mask in 0..1, ``(HI, HI)``."""
    image = Image.fromarray(np.clip(mask * 255, 0, 255).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float64) / 255


def shifted(mask: np.ndarray, offset) -> np.ndarray:
    """``(HI, HI)`` mask moved by ``offset = (dx, dy)`` pixels, filled with zeros (no wrap-around)."""
    dx, dy = (int(v) for v in offset)
    out = np.zeros_like(mask)
    h, w = mask.shape
    out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        mask[max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
    return out


def finish(rng: np.random.Generator, canvas: np.ndarray, max_blur: float = 0.7,
           max_noise: float = 5.0, white_balance: tuple[float, float] = (0.94, 1.06)) -> np.ndarray:
    """Reduce a ``(HI, HI, 3)`` float canvas to a ``(SIZE, SIZE, 3)`` uint8 photo-like image.

    Adds a random exposure and white balance (each channel scaled within ``white_balance``),
    a slight lens blur and sensor noise.
    """
    canvas = canvas * rng.uniform(0.85, 1.12) * rng.uniform(*white_balance, 3)
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8)).resize((SIZE, SIZE), Image.LANCZOS)
    radius = rng.uniform(0.0, max_blur)
    if radius > 0.15:
        image = image.filter(ImageFilter.GaussianBlur(radius))
    pixels = np.asarray(image, dtype=np.float64)
    pixels = pixels + rng.normal(0, rng.uniform(1.0, max_noise), pixels.shape)
    return np.clip(np.round(pixels), 0, 255).astype(np.uint8)
