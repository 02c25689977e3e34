"""Images for neural style transfer: sample photos, procedural style images, files.

Every function returns a float32 batch of one image, ``(1, n_H, n_W, 3)`` with values in
``[0, 1]``, the layout :func:`course_utils.style.generate` takes.

- :func:`content_image`: photos shipped with installed packages (scikit-image's
  ``skimage.data`` and matplotlib's sample data), so nothing is downloaded.
- :func:`style_image`: a procedural painting made by this project (:func:`brush_strokes`,
  :func:`mosaic`) or a photo with a strong texture.
- :func:`load_image`: any image file of the learner's; a file that cannot be read as an
  image gives a ValueError that names it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from course_utils import _validate

__all__ = ["PALETTES", "CONTENT_PHOTOS", "STYLE_NAMES", "content_image", "style_image", "load_image",
           "save_image", "as_batch", "brush_strokes", "mosaic", "shuffle_tiles"]

#: Colour palettes (RGB, 0..255) of the procedural style images.
PALETTES = {
    "starry": [(16, 36, 92), (33, 75, 160), (73, 128, 201), (240, 207, 70), (250, 238, 160), (12, 20, 40)],
    "sunset": [(120, 20, 60), (220, 70, 40), (250, 160, 30), (70, 30, 110), (250, 220, 120), (30, 10, 30)],
    "fauve": [(230, 40, 40), (30, 140, 60), (250, 200, 0), (20, 60, 180), (240, 110, 180), (10, 10, 10)],
}

_SKIMAGE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket")
#: Names accepted by :func:`content_image`.
CONTENT_PHOTOS = (*_SKIMAGE_PHOTOS, "grace_hopper")
#: Names accepted by :func:`style_image` besides the content photos.
STYLE_NAMES = ("brush_strokes", "mosaic")


def as_batch(image, name="image"):
    """Check an image and return it as ``(1, n_H, n_W, 3)`` float32 in ``[0, 1]``.

    Parameters
    ----------
    image : array_like or tf.Tensor, shape (n_H, n_W, 3), (1, n_H, n_W, 3), (n_H, n_W) or (n_H, n_W, 4)
        uint8 values 0..255 or floats in ``[0, 1]``; grey images are repeated on three
        channels and an alpha channel is dropped.
    name : str
        The argument's name for error messages.

    Returns
    -------
    ndarray, shape (1, n_H, n_W, 3), float32
    """
    if hasattr(image, "numpy") and not isinstance(image, np.ndarray):
        image = image.numpy()
    array = _validate.as_numeric_array(image, name, layout="(n_H, n_W, 3) or (1, n_H, n_W, 3)")
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise ValueError(f"{name} must be one image, shape (1, n_H, n_W, 3); got shape {array.shape}")
        array = array[0]
    if array.ndim == 2:
        array = np.repeat(array[..., None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ValueError(f"{name} must be an image of shape (n_H, n_W, 3) or (1, n_H, n_W, 3); got shape "
                         f"{np.shape(image)}")
    array = array[..., :3]
    if np.issubdtype(array.dtype, np.integer):
        array = array / 255.0
    if not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 1:
        raise ValueError(f"{name} must hold values in [0, 1] (floats) or 0..255 (integers); got values in "
                         f"[{float(np.nanmin(array)):.3g}, {float(np.nanmax(array)):.3g}]")
    return array[None].astype(np.float32)


def _resize(array, size):
    """Centre-crop to a square and resize (``size`` int) or resize to ``(n_H, n_W)``."""
    from skimage.transform import resize

    if size is None:
        return array
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(f"size must be an int or a pair (n_H, n_W); got {size!r}")
        n_H, n_W = (_validate.integer(s, "size", minimum=8) for s in size)
    else:
        n_H = n_W = _validate.integer(size, "size", minimum=8)
        h, w = array.shape[1:3]
        side = min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        array = array[:, top:top + side, left:left + side]
    resized = resize(array[0], (n_H, n_W), anti_aliasing=True, preserve_range=True)
    return np.clip(resized, 0.0, 1.0)[None].astype(np.float32)


def load_image(path, size=None):
    """Read an image file.

    Parameters
    ----------
    path : str or path-like
        Any format Pillow reads (PNG, JPEG, ...).
    size : int or (int, int), optional
        int: centre-crop to a square and resize to ``size x size``; pair: resize to
        ``(n_H, n_W)``; None: keep the file's size.

    Returns
    -------
    ndarray, shape (1, n_H, n_W, 3), float32 in [0, 1]
    """
    from PIL import Image, UnidentifiedImageError

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be the path of an image file; got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path {str(path)!r} is not an existing image file")
    try:
        with Image.open(path) as opened:
            array = np.asarray(opened.convert("RGB"))
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(f"path {str(path)!r} could not be read as an image ({type(exc).__name__}: {exc})") from None
    return _resize(as_batch(array, "path"), size)


def save_image(image, path):
    """Save an image as PNG, creating folders; return the path.

    Parameters
    ----------
    image : array_like, shape (n_H, n_W, 3) or (1, n_H, n_W, 3), values in [0, 1]
    path : str or path-like

    Returns
    -------
    pathlib.Path
    """
    from PIL import Image

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path; got {type(path).__name__}")
    array = as_batch(image, "image")[0]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.round(array * 255).astype(np.uint8)).save(path, format="PNG")
    return path


def content_image(name="chelsea", size=128):
    """A sample photo from an installed package.

    Parameters
    ----------
    name : {"astronaut", "chelsea", "coffee", "rocket", "grace_hopper"}, default "chelsea"
        ``skimage.data`` photos, or matplotlib's portrait of Grace Hopper.
    size : int or (int, int) or None, default 128
        As in :func:`load_image`.

    Returns
    -------
    ndarray, shape (1, n_H, n_W, 3), float32 in [0, 1]
    """
    if name in _SKIMAGE_PHOTOS:
        import skimage.data

        array = getattr(skimage.data, name)()
    elif name == "grace_hopper":
        from matplotlib import cbook

        with cbook.get_sample_data("grace_hopper.jpg") as file:
            from PIL import Image

            array = np.asarray(Image.open(file).convert("RGB"))
    else:
        raise ValueError(f"name must be one of {list(CONTENT_PHOTOS)}; got {name!r}")
    return _resize(as_batch(array, name), size)


def style_image(name="brush_strokes", size=128, palette=None, seed=0):
    """A style image: procedural (``"brush_strokes"``, ``"mosaic"``) or a sample photo.

    Parameters
    ----------
    name : str, default "brush_strokes"
        One of :data:`STYLE_NAMES` or :data:`CONTENT_PHOTOS`.
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
    if name in CONTENT_PHOTOS:
        return content_image(name, size)
    raise ValueError(f"name must be one of {list(STYLE_NAMES + CONTENT_PHOTOS)}; got {name!r}")


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
        As accepted by :func:`as_batch`; ``n_H`` and ``n_W`` must be multiples of ``n_tiles``.
    n_tiles : int, default 4
        Tiles per side (at least 2).
    seed : int, default 0
        Seed of the permutation (never the identity).

    Returns
    -------
    ndarray, shape (1, n_H, n_W, 3), float32 in [0, 1]
    """
    batch = as_batch(image, "image")
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
