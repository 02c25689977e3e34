"""Figures the notebooks draw: image grids, sliding windows over a padded input, small arrays,
learning curves, confusion matrices, a layer diagram of a Keras model, segmentation masks and
the U-Net's shape.

Every function draws with matplotlib and returns the figure, so a notebook cell that ends
with ``plt.show()`` displays it and a script can save it.
"""

from __future__ import annotations

import numpy as np

from course_utils import _validate

__all__ = ["show_images", "show_windows", "show_array", "plot_history", "show_confusion", "show_model", "show_masks",
           "show_unet"]


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def show_images(images, titles=None, ncols=None, size=1.8, cmap="gray", suptitle=None):
    """Draw images side by side.

    Parameters
    ----------
    images : sequence of array_like
        Each of shape ``(n_H, n_W)`` (drawn with ``cmap``), ``(n_H, n_W, 3)``, or a batch of
        one, ``(1, n_H, n_W, 3)``.
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
    # A batch of one image, (1, n_H, n_W, n_C), is drawn as that image.
    images = [image[0] if image.ndim == 4 and image.shape[0] == 1 else image for image in images]
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


def plot_history(history, metrics=("loss", "accuracy"), title=None):
    """Draw learning curves: one panel per metric, training and validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``model.fit`` returns, or its ``.history`` dict of lists
        (``"loss"``, ``"val_loss"``, ``"accuracy"``, ...).
    metrics : sequence of str, default ("loss", "accuracy")
        Which curves to draw; ``val_<metric>`` is added when present.
    title : str, optional
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict):
        raise TypeError(f"history must be a keras History or a dict of lists; got {type(history).__name__}")
    missing = [name for name in metrics if name not in curves]
    if missing:
        raise ValueError(f"history has no {missing}; it holds {sorted(curves)}")
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 2.4), squeeze=False)
    for ax, name in zip(axes[0], metrics, strict=True):
        epochs = np.arange(1, len(curves[name]) + 1)
        ax.plot(epochs, curves[name], label="train")
        if f"val_{name}" in curves:
            ax.plot(epochs, curves[f"val_{name}"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend(fontsize=7)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def show_confusion(matrix, labels=None, title=None, ax=None):
    """Draw a confusion matrix with the counts written in the cells.

    Parameters
    ----------
    matrix : array_like of int, shape (n_classes, n_classes)
        Entry ``[i, j]`` counts examples of true class ``i`` predicted as ``j``
        (see :func:`course_utils.models.confusion_matrix`).
    labels : sequence of str, optional
        Class names for the axes; the class indices by default.
    title : str, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    matrix = _validate.as_numeric_array(matrix, "matrix", 2, "(n_classes, n_classes)")
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square (n_classes, n_classes); got shape {matrix.shape}")
    n = matrix.shape[0]
    labels = [str(i) for i in range(n)] if labels is None else [str(label) for label in labels]
    if len(labels) != n:
        raise ValueError(f"labels must hold one name per class ({n}); got {len(labels)}")
    fig = show_array(matrix, title=title, ax=ax, fmt="{:.0f}")
    ax = fig.axes[0] if ax is None else ax
    ax.set_xticks(range(n), labels, fontsize=7)
    ax.set_yticks(range(n), labels, fontsize=7)
    ax.set_xlabel("predicted", fontsize=8)
    ax.set_ylabel("true", fontsize=8)
    return fig


def show_model(model, title=None):
    """Draw a Keras model as a column of boxes, one per layer, with its output shape.

    A stand-in for ``keras.utils.plot_model`` that needs neither pydot nor graphviz. Layers
    are drawn in the model's order; a layer fed by more than one layer lists its inputs.

    Parameters
    ----------
    model : keras.Model
        A built model (Sequential or Functional).
    title : str, optional
        Default: the model's name.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not hasattr(model, "layers") or not hasattr(model, "count_params"):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
    rows = []
    for layer in model.layers:
        try:
            shape = tuple(layer.output.shape)
        except (AttributeError, ValueError):
            shape = None
        shape_text = "?" if shape is None else "(" + ", ".join("None" if v is None else str(v) for v in shape) + ")"
        kind = type(layer).__name__
        rows.append((f"{layer.name}: {kind}" if layer.name.lower() != kind.lower() else kind,
                     f"{shape_text}   {layer.count_params():,} params"))
    plt = _pyplot()
    height = 0.55 * len(rows) + 0.4
    fig, ax = plt.subplots(figsize=(3.6, height))
    for i, (name, detail) in enumerate(rows):
        y = len(rows) - 1 - i
        ax.add_patch(plt.Rectangle((0.05, y + 0.12), 0.9, 0.76, facecolor="#dfe8f5", edgecolor="#4a6fa5"))
        ax.text(0.5, y + 0.6, name, ha="center", va="center", fontsize=7.5, weight="bold")
        ax.text(0.5, y + 0.32, detail, ha="center", va="center", fontsize=6.5)
        if i:
            ax.annotate("", xy=(0.5, y + 0.88), xytext=(0.5, y + 1.12),
                        arrowprops={"arrowstyle": "->", "color": "#4a6fa5"})
    ax.set_xlim(0, 1)
    ax.set_ylim(0, len(rows))
    ax.axis("off")
    ax.set_title(title if title is not None else f"{model.name}: {model.count_params():,} parameters", fontsize=8)
    fig.tight_layout()
    return fig


__all__ += ["show_residual_block"]


def show_residual_block(kind="identity", ax=None):
    """Draw ResNet-50's bottleneck block as a diagram: the main path, the shortcut and the addition.

    Boxes stand for layers in the order they are applied, left to right: convolutions (blue),
    BatchNormalization over the channels (green), ReLU (orange), the addition (a circle). The
    shortcut runs above the main path and joins it before the last ReLU; in the convolutional
    block it holds a 1x1 convolution and a BatchNormalization, and the first convolution of both
    paths has stride s.

    Parameters
    ----------
    kind : {"identity", "convolutional"}, default "identity"
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if kind not in ("identity", "convolutional"):
        raise ValueError(f"kind must be 'identity' or 'convolutional'; got {kind!r}")
    plt = _pyplot()
    strided = kind == "convolutional"
    conv, norm, relu = ("#dfe8f5", "#4a6fa5"), ("#e3f1df", "#5a8f4e"), ("#fbe6d3", "#c07028")
    main = [("Conv2D 1×1\nF1 filters\n" + ("stride s" if strided else "stride 1") + ", valid", conv),
            ("BatchNorm", norm), ("ReLU", relu),
            ("Conv2D f×f\nF2 filters\nstride 1, same", conv), ("BatchNorm", norm), ("ReLU", relu),
            ("Conv2D 1×1\nF3 filters\nstride 1, valid", conv), ("BatchNorm", norm),
            ("+", None), ("ReLU", relu)]
    if ax is None:
        fig, ax = plt.subplots(figsize=(12, 2.7))
    else:
        fig = ax.figure
    width, gap, middle_y = 1.05, 0.28, 0.4
    x, spans = 1.0, []
    for label, colours in main:
        if colours is None:  # the addition
            ax.add_patch(plt.Circle((x + 0.25, middle_y), 0.25, facecolor="white", edgecolor="black"))
            ax.text(x + 0.25, middle_y, "+", ha="center", va="center", fontsize=14)
            spans.append((x, x + 0.5))
            x += 0.5 + gap
            continue
        ax.add_patch(plt.Rectangle((x, 0), width, 0.8, facecolor=colours[0], edgecolor=colours[1]))
        ax.text(x + width / 2, middle_y, label, ha="center", va="center", fontsize=8)
        spans.append((x, x + width))
        x += width + gap
    arrow = {"arrowstyle": "->", "color": "black", "lw": 0.8}
    ax.text(0.1, middle_y, "X", ha="right", va="center", fontsize=11)
    ax.annotate("", xy=(spans[0][0], middle_y), xytext=(0.2, middle_y), arrowprops=arrow)
    for (_, end), (start, _) in zip(spans[:-1], spans[1:], strict=True):
        ax.annotate("", xy=(start, middle_y), xytext=(end, middle_y), arrowprops=arrow)
    ax.annotate("", xy=(x + 0.1, middle_y), xytext=(spans[-1][1], middle_y), arrowprops=arrow)
    ax.text(x + 0.2, middle_y, "output", ha="left", va="center", fontsize=9)
    # the shortcut: up from X, along the top, down into the addition
    plus, top, branch = sum(spans[-2]) / 2, 1.55, 0.45
    ax.plot([branch, branch, plus, plus], [middle_y, top, top, 0.9], color="#444444", lw=1.2)
    ax.annotate("", xy=(plus, 0.66), xytext=(plus, 0.92), arrowprops=arrow)
    centre = (branch + plus) / 2
    if strided:
        for offset, (label, colours) in zip((-0.65, 0.65), [("Conv2D 1×1\nF3, stride s", conv), ("BatchNorm", norm)],
                                            strict=True):
            ax.add_patch(plt.Rectangle((centre + offset - 0.55, top - 0.3), 1.1, 0.6, facecolor=colours[0],
                                       edgecolor=colours[1], zorder=3))
            ax.text(centre + offset, top, label, ha="center", va="center", fontsize=8, zorder=4)
        ax.text(centre, top + 0.42, "shortcut: a 1×1 convolution and a BatchNorm give it the main path's shape",
                ha="center", fontsize=8)
    else:
        ax.text(centre, top + 0.12, "shortcut: the input itself", ha="center", fontsize=8)
    ax.text(x / 2, -0.3, "main path (every BatchNorm normalises the channels, axis 3)", ha="center", fontsize=8)
    ax.set_xlim(-0.3, x + 1.2)
    ax.set_ylim(-0.45, top + 0.65)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"the {kind} block", fontsize=10)
    fig.tight_layout()
    return fig


def show_masks(images, masks, class_names, size=1.6):
    """Pictures beside their class masks: one row per picture, one column per kind of mask.

    Parameters
    ----------
    images : array_like, shape (n, n_H, n_W, 3)
    masks : dict of str to array_like of shape (n, n_H, n_W)
        Column title -> class indices, e.g. ``{"true": Y, "predicted": P}``.
    class_names : sequence of str
        The name of each class index, for the legend (at most 20 classes).
    size : float, default 1.6
        Width and height of one panel, in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    images = _validate.as_numeric_array(images, "images", 4, "(n, n_H, n_W, 3)")
    if not isinstance(masks, dict) or not masks:
        raise TypeError(f"masks must be a non-empty dict of column title -> masks; got {type(masks).__name__}")
    masks = {title: _validate.as_numeric_array(m, f"masks[{title!r}]", 3, "(n, n_H, n_W)")
             for title, m in masks.items()}
    for title, m in masks.items():
        if m.shape != images.shape[:3]:
            raise ValueError(f"masks[{title!r}] must have shape (n, n_H, n_W) = {images.shape[:3]}; got {m.shape}")
    n_classes = len(class_names)
    if not 1 <= n_classes <= 20:
        raise ValueError(f"class_names must name 1 to 20 classes; got {n_classes}")
    plt = _pyplot()
    colours = ListedColormap(plt.get_cmap("tab10" if n_classes <= 10 else "tab20").colors[:n_classes])
    ncols = 1 + len(masks)
    fig, axes = plt.subplots(len(images), ncols, figsize=(size * ncols, size * len(images) + 0.45), squeeze=False)
    for row, image in enumerate(images):
        axes[row, 0].imshow(image)
        for col, m in enumerate(masks.values(), start=1):
            axes[row, col].imshow(m[row], cmap=colours, vmin=-0.5, vmax=n_classes - 0.5, interpolation="nearest")
    for col, title in enumerate(["picture", *masks]):
        axes[0, col].set_title(title, fontsize=8)
    for ax in axes.ravel():
        ax.axis("off")
    fig.legend(handles=[Patch(color=colours(i), label=name) for i, name in enumerate(class_names)],
               loc="lower center", ncol=min(n_classes, 5), fontsize=6.5, frameon=False)
    fig.tight_layout(rect=(0, 0.45 / (size * len(images) + 0.45), 1, 1))  # room for the legend
    return fig


def show_unet(input_size=(96, 96, 3), n_filters=8, n_classes=10):
    """Draw the U-Net of :func:`course_utils.unet.unet_model` as a U: the shape after each block.

    Parameters
    ----------
    input_size : tuple (n_H, n_W, n_C), default (96, 96, 3)
    n_filters : int, default 8
    n_classes : int, default 10

    Returns
    -------
    matplotlib.figure.Figure
    """
    n_H, n_W, n_C = _validate.image_shape(tuple(input_size), "input_size")
    n_filters = _validate.integer(n_filters, "n_filters", minimum=1)
    n_classes = _validate.integer(n_classes, "n_classes", minimum=1)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9.2, 3.4))
    step = 1.45  # horizontal distance between levels

    def box(x, y, text, colour):
        ax.add_patch(plt.Rectangle((x - 0.66, y - 0.24), 1.32, 0.48, facecolor=colour, edgecolor="#555555"))
        ax.text(x, y, text, ha="center", va="center", fontsize=6)

    def arrow(start, end, colour="#555555", style="->"):
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": style, "color": colour, "lw": 1})

    box(0, 5, f"input\n{n_H}×{n_W}×{n_C}", "#eeeeee")
    arrow((0, 4.76), (0, 4.24))
    for depth in range(5):
        size = f"{n_H >> depth}×{n_W >> depth}×{n_filters << depth}"
        y, x_down, x_up = 4 - depth, depth * step, (8 - depth) * step
        box(x_down, y, f"conv_block {depth + 1}" + (" + dropout" if depth >= 3 else "") + f"\n{size}", "#dfe8f5")
        if depth:
            arrow((x_down - step + 0.25, y + 0.76), (x_down - 0.25, y + 0.24))
        if depth == 4:
            continue
        box(x_up, y, f"upsampling_block {9 - depth}\n{size}", "#f6e3cf")
        arrow((x_down + 0.66, y), (x_up - 0.66, y), "#b5651d", "-|>")
        arrow((x_up - step + 0.25, y - 0.76), (x_up - 0.25, y - 0.24))
    ax.text(4 * step, 4.1, "skip connections: copied across and concatenated", fontsize=6.5, ha="center",
            color="#b5651d")
    ax.text(0.5 * step, 3.4, "2×2 max-pool", fontsize=6, color="#555555", ha="left")
    ax.text(7.5 * step, 3.4, "transposed conv, stride 2", fontsize=6, color="#555555", ha="right")
    box(8 * step, 5, f"3×3 conv, 1×1 conv\n{n_H}×{n_W}×{n_classes} logits", "#e3f0dc")
    arrow((8 * step, 4.24), (8 * step, 4.76))
    ax.set_xlim(-0.8, 8 * step + 0.8)
    ax.set_ylim(-0.4, 5.35)
    ax.axis("off")
    fig.tight_layout()
    return fig


__all__ += ["show_decisions"]


def show_decisions(images, decisions, correct=None, ncols=None, size=1.2, suptitle=None):
    """Draw images with what a system decided about each, in green where right and red where wrong.

    Parameters
    ----------
    images : sequence of array_like, each (n_H, n_W, 3)
    decisions : sequence of str
        One caption per image, e.g. ``"ada -> ada"`` or ``"let in as chen"``.
    correct : sequence of bool, optional
        Whether each decision is right (green) or wrong (red); black captions when omitted.
    ncols, size, suptitle :
        As :func:`show_images`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = show_images(images, titles=list(decisions), ncols=ncols, size=size, suptitle=suptitle)
    if correct is not None:
        correct = [bool(c) for c in correct]
        if len(correct) != len(decisions):
            raise ValueError(f"correct must hold one bool per decision ({len(decisions)}); got {len(correct)}")
        for ax, right in zip(fig.axes, correct, strict=False):
            ax.title.set_color("#1a7f37" if right else "#c62828")
    return fig
