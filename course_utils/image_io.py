"""Reading, converting, resizing and saving images: the one module that does it.

Every model of the course takes float32 batches ``(m, n_H, n_W, 3)`` with values in ``[0, 1]``;
:func:`load_image` turns a file, a PIL image or an array into a batch of one such image, and
the other modules (models, face recognition, style transfer) call it rather than reading files
themselves. One error policy everywhere:

- a file that does not exist: ``FileNotFoundError`` naming the path;
- a file that is not an image, or an array of the wrong shape or range: ``ValueError``;
- an argument of the wrong kind (a number instead of a path, say): ``TypeError``.

:func:`sample_photo` gives photos that ship with installed packages (scikit-image and
matplotlib), so that nothing is ever downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from course_utils import _validate

__all__ = ["SAMPLE_PHOTOS", "read_image", "as_batch", "resize", "load_image", "save_image", "sample_photo"]

_SKIMAGE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket")
#: Names accepted by :func:`sample_photo`.
SAMPLE_PHOTOS = (*_SKIMAGE_PHOTOS, "grace_hopper")


def read_image(source, name: str = "source") -> np.ndarray:
    """Read a picture as an RGB array of bytes.

    Parameters
    ----------
    source : str, os.PathLike, PIL.Image.Image or array_like
        An image file (any format Pillow reads: PNG, JPEG, ...), an opened image, or an array
        ``(H, W)``, ``(H, W, 1)``, ``(H, W, 3)`` or ``(H, W, 4)`` (uint8 0..255 or floats 0..1).
        Transparent pixels are laid over white; grey images are repeated on three channels.
    name : str, default "source"
        The argument's name in error messages.

    Returns
    -------
    numpy.ndarray, shape (H, W, 3), uint8
    """
    from PIL import Image, UnidentifiedImageError

    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"{name} must be an image file; {str(path)!r} does not exist")
        try:
            with Image.open(path) as opened:
                opened.load()
                picture = opened.copy()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValueError(f"{name} {str(path)!r} could not be read as an image "
                             f"({type(exc).__name__}: {exc})") from None
    elif isinstance(source, Image.Image):
        picture = source
    elif isinstance(source, np.ndarray) or hasattr(source, "numpy") or isinstance(source, (list, tuple)):
        return _array_to_rgb(source, name)
    else:
        raise TypeError(f"{name} must be a file name, a PIL image or an array; got {type(source).__name__}")
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        picture = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return np.asarray(picture.convert("RGB"), dtype=np.uint8)


def _array_to_rgb(source, name: str) -> np.ndarray:
    """An image array as RGB bytes; transparent pixels (an alpha channel) are laid over white."""
    array = np.asarray(source.numpy() if hasattr(source, "numpy") else source)
    alpha = None
    if array.ndim == 3 and array.shape[2] == 4:
        alpha = as_batch(np.repeat(array[..., 3:], 3, axis=2), name)[0][..., :1]
    rgb = as_batch(array, name)[0]
    if alpha is not None:
        rgb = rgb * alpha + (1.0 - alpha)
    return np.round(rgb * 255).astype(np.uint8)


def as_batch(image, name: str = "image") -> np.ndarray:
    """Check an image array and return it as a batch of one, float32 in ``[0, 1]``.

    Parameters
    ----------
    image : array_like or tf.Tensor, shape (n_H, n_W, 3), (1, n_H, n_W, 3), (n_H, n_W), (n_H, n_W, 1) or (n_H, n_W, 4)
        uint8 (or other integer) values 0..255, or floats in ``[0, 1]``. Grey images are
        repeated on three channels; an alpha channel is dropped.
    name : str, default "image"
        The argument's name in error messages.

    Returns
    -------
    numpy.ndarray, shape (1, n_H, n_W, 3), float32
    """
    if hasattr(image, "numpy") and not isinstance(image, np.ndarray):
        image = image.numpy()
    array = _validate.as_numeric_array(image, name, layout="(n_H, n_W, 3) or (1, n_H, n_W, 3)")
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise ValueError(f"{name} must be one image, shape (1, n_H, n_W, 3); got shape {array.shape}")
        array = array[0]
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        array = np.repeat(array[..., None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or min(array.shape[:2]) < 1:
        raise ValueError(f"{name} must be an image of shape (n_H, n_W, 3) or (1, n_H, n_W, 3); got shape "
                         f"{np.shape(image)}")
    array = array[..., :3]
    if np.issubdtype(array.dtype, np.integer):
        if array.min() < 0 or array.max() > 255:
            raise ValueError(f"{name} with an integer dtype must hold values in 0..255; got values in "
                             f"[{array.min()}, {array.max()}]")
        array = array / 255.0
    elif not np.all(np.isfinite(array)) or array.min() < 0 or array.max() > 1:
        raise ValueError(f"{name} with a float dtype must hold values in [0, 1] (or pass integers 0..255); got "
                         f"values in [{float(np.nanmin(array)):.3g}, {float(np.nanmax(array)):.3g}]")
    return array[None].astype(np.float32)


def _size(size) -> tuple[int, int]:
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(f"size must be an int or a pair (n_H, n_W); got {size!r}")
        return tuple(_validate.integer(s, f"size[{i}]", minimum=1) for i, s in enumerate(size))
    side = _validate.integer(size, "size", minimum=1)
    return side, side


def resize(image, size, crop: bool = True) -> np.ndarray:
    """Resize a batch of one image, optionally cropping it first so that nothing is stretched.

    Parameters
    ----------
    image : array_like, shape (1, n_H, n_W, 3) or (n_H, n_W, 3)
        As accepted by :func:`as_batch`.
    size : int or (int, int)
        The result's ``(n_H, n_W)``; an int means a square.
    crop : bool, default True
        Cut the centred part of the image that has the target's aspect ratio before resizing.
        With False the whole image is resized, so a change of aspect ratio stretches it.

    Returns
    -------
    numpy.ndarray, shape (1, size_H, size_W, 3), float32 in [0, 1]
    """
    from skimage.transform import resize as skimage_resize

    batch = as_batch(image)
    n_H, n_W = _size(size)
    if crop:
        h, w = batch.shape[1:3]
        # the largest centred window with the target's aspect ratio
        crop_h, crop_w = (h, max(1, round(h * n_W / n_H))) if w * n_H >= h * n_W else (max(1, round(w * n_H / n_W)), w)
        top, left = (h - crop_h) // 2, (w - crop_w) // 2
        batch = batch[:, top:top + crop_h, left:left + crop_w]
    if batch.shape[1:3] == (n_H, n_W):
        return batch
    resized = skimage_resize(batch[0], (n_H, n_W), anti_aliasing=True, preserve_range=True)
    return np.clip(resized, 0.0, 1.0)[None].astype(np.float32)


def load_image(source, size=None, crop: bool = True) -> np.ndarray:
    """A picture as a batch of one image that the course's models take.

    Parameters
    ----------
    source : str, os.PathLike, PIL.Image.Image or array_like
        What :func:`read_image` accepts.
    size : int or (int, int), optional
        Resize to ``(n_H, n_W)`` (an int: a square) with :func:`resize`; None keeps the size.
    crop : bool, default True
        Crop to the target's aspect ratio before resizing (see :func:`resize`).

    Returns
    -------
    numpy.ndarray, shape (1, n_H, n_W, 3), float32 in [0, 1]
    """
    batch = as_batch(read_image(source), "source")
    return batch if size is None else resize(batch, size, crop=crop)


def save_image(image, path) -> Path:
    """Save an image as PNG, creating the folders on the way.

    Parameters
    ----------
    image : array_like, shape (n_H, n_W, 3) or (1, n_H, n_W, 3)
        As accepted by :func:`as_batch`.
    path : str or os.PathLike

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


def sample_photo(name: str = "chelsea", size=128) -> np.ndarray:
    """A photo that ships with an installed package, so nothing is downloaded.

    Parameters
    ----------
    name : {"astronaut", "chelsea", "coffee", "rocket", "grace_hopper"}, default "chelsea"
        ``skimage.data``'s photos, or matplotlib's portrait of Grace Hopper.
    size : int or (int, int) or None, default 128
        As in :func:`load_image` (an int: the centred square, resized).

    Returns
    -------
    numpy.ndarray, shape (1, n_H, n_W, 3), float32 in [0, 1]
    """
    if name in _SKIMAGE_PHOTOS:
        import skimage.data

        array = getattr(skimage.data, name)()
    elif name == "grace_hopper":
        from matplotlib import cbook
        from PIL import Image

        with cbook.get_sample_data("grace_hopper.jpg") as file, Image.open(file) as opened:
            array = np.asarray(opened.convert("RGB"))
    else:
        raise ValueError(f"name must be one of {list(SAMPLE_PHOTOS)}; got {name!r}")
    batch = as_batch(array, "name")
    return batch if size is None else resize(batch, size)
