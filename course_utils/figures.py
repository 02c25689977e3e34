"""Figures the notebooks draw: image grids, sliding windows over a padded input, small arrays.

Every function draws with matplotlib and returns the figure, so a notebook cell that ends
with ``plt.show()`` displays it and a script can save it.
"""

from __future__ import annotations

import numpy as np

from course_utils import _validate

__all__ = ["show_images", "show_windows", "show_array"]


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def show_images(images, titles=None, ncols=None, size=1.8, cmap="gray", suptitle=None):
    """Draw images side by side.

    Parameters
    ----------
    images : sequence of array_like
        Each of shape ``(n_H, n_W)`` (drawn with ``cmap``) or ``(n_H, n_W, 3)``.
    titles : sequence of str, optional
        One title per image.
    ncols : int, optional
        Images per row; all in one row by default.
    size : float, default 1.8
        Width and height of one image, in inches.
    cmap : str, default "gray"
        Colour map for single-channel images.
    suptitle : str, optional
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    images = [_validate.as_numeric_array(image, f"images[{i}]") for i, image in enumerate(images)]
    if not images:
        raise ValueError("images must hold at least one image; got an empty sequence")
    for i, image in enumerate(images):
        if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (1, 3, 4)):
            raise ValueError(f"images[{i}] must have shape (n_H, n_W) or (n_H, n_W, 3); got {image.shape}")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles must hold one title per image ({len(images)}); got {len(titles)}")
    ncols = len(images) if ncols is None else _validate.integer(ncols, "ncols", minimum=1)
    nrows = -(-len(images) // ncols)
    plt = _pyplot()
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + (0.3 if suptitle else 0)),
                             squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for i, image in enumerate(images):
        ax = axes.ravel()[i]
        ax.imshow(image.squeeze(), cmap=cmap if image.squeeze().ndim == 2 else None)
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
    if suptitle:
        fig.suptitle(suptitle, fontsize=9)
    fig.tight_layout()
    return fig


def show_windows(n, f, stride=1, pad=0, windows=3, ax=None):
    """Draw an ``n x n`` input, its zero padding, and the first positions of an ``f x f`` window.

    Parameters
    ----------
    n : int
        Input height and width.
    f : int
        Window (filter) size.
    stride : int, default 1
        Step between window positions.
    pad : int, default 0
        Zeros added on each side, drawn as hatched cells.
    windows : int, default 3
        How many window positions along the first row to outline.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from course_utils.shapes import conv_output_size

    n_out = conv_output_size(n, f, pad, stride)
    size = n + 2 * pad
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.6))
    for row in range(size):
        for col in range(size):
            inside = pad <= row < pad + n and pad <= col < pad + n
            ax.add_patch(plt.Rectangle((col, size - 1 - row), 1, 1, facecolor="#dfe8f5" if inside else "white",
                                       edgecolor="#8a8a8a", hatch=None if inside else "///", linewidth=0.5))
    colours = ["#d62728", "#2ca02c", "#1f77b4", "#ff7f0e", "#9467bd"]
    for k in range(min(windows, n_out)):
        inset = 0.07 * (k + 1)  # nested outlines stay visible where windows overlap
        ax.add_patch(plt.Rectangle((k * stride + inset, size - f + inset), f - 2 * inset, f - 2 * inset,
                                   fill=False, edgecolor=colours[k % len(colours)], linewidth=2))
    ax.set_xlim(-0.2, size + 0.2)
    ax.set_ylim(-0.2, size + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"n={n}, f={f}, stride={stride}, pad={pad}\noutput {n_out} x {n_out}", fontsize=8)
    return ax.figure


def show_array(array, title=None, ax=None, fmt="{:.2g}", cmap="Blues"):
    """Draw a small 2-D array as a heat map with its values written in the cells.

    Parameters
    ----------
    array : array_like, shape (n_rows, n_cols)
        At most 12 x 12, so that the numbers stay readable.
    title : str, optional
    ax : matplotlib.axes.Axes, optional
    fmt : str, default "{:.2g}"
        Format of the numbers.
    cmap : str, default "Blues"

    Returns
    -------
    matplotlib.figure.Figure
    """
    array = _validate.as_numeric_array(array, "array", 2, "(n_rows, n_cols)")
    if max(array.shape) > 12:
        raise ValueError(f"array must be at most 12 x 12 to be readable; got shape {array.shape}")
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * array.shape[1] + 0.4, 0.45 * array.shape[0] + 0.5))
    ax.imshow(array, cmap=cmap)
    mid = (array.max() + array.min()) / 2
    for (row, col), value in np.ndenumerate(array):
        ax.text(col, row, fmt.format(value), ha="center", va="center", fontsize=7,
                color="white" if value > mid and array.max() != array.min() else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=8)
    return ax.figure
