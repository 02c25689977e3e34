"""Procedural paintings for style transfer, drawn by this project (sections 4.5 and 4.7).

Every function returns a float32 batch of one image, ``(1, n_H, n_W, 3)`` with values in
``[0, 1]``, the layout :func:`course_utils.style.generate` takes.

- :func:`brush_strokes` and :func:`mosaic`: paintings drawn from a seed and a palette.
- :func:`style_image`: one of those by name, or a sample photo with a strong texture.
- :func:`shuffle_tiles`: the same tiles in another order (style kept, layout lost).

Photos and image files are read by :mod:`course_utils.image_io`.
"""

from __future__ import annotations

import numpy as np

from course_utils import _validate, image_io

__all__ = ["PALETTES", "STYLE_NAMES", "style_image", "brush_strokes", "mosaic", "shuffle_tiles"]

#: Colour palettes (RGB, 0..255) of the procedural style images.
PALETTES = {
    "starry": [(16, 36, 92), (33, 75, 160), (73, 128, 201), (240, 207, 70), (250, 238, 160), (12, 20, 40)],
    "sunset": [(120, 20, 60), (220, 70, 40), (250, 160, 30), (70, 30, 110), (250, 220, 120), (30, 10, 30)],
    "fauve": [(230, 40, 40), (30, 140, 60), (250, 200, 0), (20, 60, 180), (240, 110, 180), (10, 10, 10)],
}

#: Names accepted by :func:`style_image` besides the sample photos of :mod:`course_utils.image_io`.
STYLE_NAMES = ("brush_strokes", "mosaic")


def style_image(name="brush_strokes", size=128, palette=None, seed=0):
    """A style image: procedural (``"brush_strokes"``, ``"mosaic"``) or a sample photo.

    Parameters
    ----------
    name : str, default "brush_strokes"
        One of :data:`STYLE_NAMES` or :data:`course_utils.image_io.SAMPLE_PHOTOS`.
    size : int, default 128
    palette : str, optional
        A key of :data:`PALETTES` for the procedural images (default "starry" for brush
        strokes, "sunset" for the mosaic).
    seed : int, default 0

    Returns
    -------
    ndarray, shape (1, size, size, 3), float32 in [0, 1]
    """
    if name == "brush_strokes":
        return brush_strokes(size, palette or "starry", seed)
    if name == "mosaic":
        return mosaic(size, palette or "sunset", seed)
    if name in image_io.SAMPLE_PHOTOS:
        return image_io.sample_photo(name, size)
    raise ValueError(f"name must be one of {list(STYLE_NAMES + image_io.SAMPLE_PHOTOS)}; got {name!r}")


def _painting_start(size, palette, seed):
    """The checked size, the palette's colours (float RGB rows) and the random generator."""
    if palette not in PALETTES:
        raise ValueError(f"palette must be one of {list(PALETTES)}; got {palette!r}")
    size = _validate.integer(size, "size", minimum=8)
    return size, np.array(PALETTES[palette], dtype=np.float64), np.random.default_rng(seed)


def brush_strokes(size=128, palette="starry", seed=0):
    """A painting of thick curved strokes that follow swirling currents.

    Short strokes start at random points and follow a smooth flow field made of a few
    vortices; each takes a colour of the palette with a little jitter. The picture is drawn
    at twice the size and reduced, which softens the edges.

    Parameters
    ----------
    size : int, default 128
    palette : str, default "starry"
    seed : int, default 0

    Returns
    -------
    ndarray, shape (1, size, size, 3), float32 in [0, 1]
    """
    from PIL import Image, ImageDraw

    size, colours, rng = _painting_start(size, palette, seed)
    big = 2 * size
    canvas = Image.new("RGB", (big, big), tuple(int(c) for c in colours[0]))
    draw = ImageDraw.Draw(canvas)
    centres = rng.uniform(0, big, (4, 2))
    spins = rng.choice([-1.0, 1.0], 4) * rng.uniform(0.6, 1.4, 4)

    def direction(x, y):
        vx, vy = 0.3, 0.1  # a gentle drift so that strokes never stall
        for (cx, cy), spin in zip(centres, spins, strict=True):
            dx, dy = x - cx, y - cy
            weight = spin * np.exp(-(dx * dx + dy * dy) / (2 * (0.3 * big) ** 2))
            vx, vy = vx - weight * dy / big * 8, vy + weight * dx / big * 8
        norm = np.hypot(vx, vy) + 1e-9
        return vx / norm, vy / norm

    width = max(3, big // 28)
    step = max(2.0, big / 60)
    for _ in range(int(6 * (big / 16) ** 2 / 4)):
        x, y = rng.uniform(0, big, 2)
        colour = colours[rng.integers(len(colours))] + rng.normal(0, 12, 3)
        colour = tuple(int(c) for c in np.clip(colour, 0, 255))
        points = [(x, y)]
        for _ in range(rng.integers(4, 10)):
            dx, dy = direction(x, y)
            x, y = x + step * dx, y + step * dy
            points.append((x, y))
        draw.line(points, fill=colour, width=int(width * rng.uniform(0.7, 1.3)), joint="curve")
    small = canvas.resize((size, size), Image.LANCZOS)
    return (np.asarray(small, dtype=np.float32) / 255.0)[None]


def mosaic(size=128, palette="sunset", seed=0):
    """A mosaic of irregular tiles (a Voronoi diagram) with dark joints.

    Each pixel takes the colour of its nearest tile centre; where the two nearest centres are
    almost equally far, the pixel is blended towards the palette's last (darkest) colour,
    which draws the joints.

    Parameters
    ----------
    size : int, default 128
        Side of the square picture in pixels (at least 8).
    palette : str, default "sunset"
        A key of :data:`PALETTES`; its last colour is used for the joints.
    seed : int, default 0
        Seed of the tile centres and colours.

    Returns
    -------
    ndarray, shape (1, size, size, 3), float32 in [0, 1]
    """
    size, colours, rng = _painting_start(size, palette, seed)
    n_tiles = max(4, (size // 9) ** 2)
    centres = rng.uniform(0, size, (n_tiles, 2))
    tile_colours = colours[rng.integers(len(colours) - 1, size=n_tiles)] + rng.normal(0, 15, (n_tiles, 3))
    y, x = np.mgrid[0:size, 0:size] + 0.5
    distances = np.hypot(y[..., None] - centres[:, 0], x[..., None] - centres[:, 1])
    nearest = np.argsort(distances, axis=-1)[..., :2]
    d = np.take_along_axis(distances, nearest, axis=-1)
    image = tile_colours[nearest[..., 0]]
    joint = np.clip((d[..., 1] - d[..., 0]) / max(1.0, size / 96), 0.0, 1.0)[..., None]
    image = joint * image + (1 - joint) * colours[-1]
    return (np.clip(image, 0, 255) / 255.0).astype(np.float32)[None]


def shuffle_tiles(image, n_tiles=4, seed=0):
    """Cut an image into ``n_tiles x n_tiles`` square tiles and put them back in random order.

    Every pixel is kept and every tile stays intact, only the arrangement changes: colours,
    strokes and grain survive, the layout does not. Notebook 4.5 uses it to show that the
    Gram matrix (a style statistic) barely changes while the content cost does.

    Parameters
    ----------
    image : array_like, shape (n_H, n_W, 3) or (1, n_H, n_W, 3)
        As accepted by :func:`course_utils.image_io.as_batch`; ``n_H`` and ``n_W`` must be multiples of ``n_tiles``.
    n_tiles : int, default 4
        Tiles per side (at least 2).
    seed : int, default 0
        Seed of the permutation (never the identity).

    Returns
    -------
    ndarray, shape (1, n_H, n_W, 3), float32 in [0, 1]
    """
    batch = image_io.as_batch(image, "image")
    n_tiles = _validate.integer(n_tiles, "n_tiles", minimum=2)
    _, n_H, n_W, n_C = batch.shape
    if n_H % n_tiles or n_W % n_tiles:
        raise ValueError(f"image height and width must be multiples of n_tiles={n_tiles}; got {n_H} x {n_W}")
    h, w = n_H // n_tiles, n_W // n_tiles
    tiles = batch[0].reshape(n_tiles, h, n_tiles, w, n_C).transpose(0, 2, 1, 3, 4).reshape(-1, h, w, n_C)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(tiles))
    while np.array_equal(order, np.arange(len(tiles))):
        order = rng.permutation(len(tiles))
    shuffled = tiles[order].reshape(n_tiles, n_tiles, h, w, n_C).transpose(0, 2, 1, 3, 4)
    return shuffled.reshape(1, n_H, n_W, n_C).astype(np.float32)
