"""Semantic segmentation with a U-Net (section 3.3): transposed convolution, the blocks, the model.

A U-Net labels every pixel. Its left half (the *contracting path*) is a stack of
:func:`conv_block` s: two 3×3 convolutions, then a 2×2 max-pool that halves the height and width,
so that deeper blocks see more of the picture with more filters. Its right half (the *expanding
path*) is a stack of :func:`upsampling_block` s: a transposed convolution with stride 2 doubles
the height and width again, and the feature map of the same size from the left half (the *skip
connection*) is concatenated to it before two more convolutions, so the fine detail that pooling
threw away comes back. A last 1×1 convolution gives one score per class at every pixel.

:func:`conv_transpose_forward` is the transposed convolution in numpy, written to be read: every
input pixel adds a copy of the kernel, weighted by its value, onto the output. It equals
``keras.layers.Conv2DTranspose`` and the gradient of a convolution with respect to its input.

:func:`unet_from_blocks` assembles the network from any pair of block functions (the learner's in
the notebook), also with its skip connections cut; :func:`mean_iou` and
:func:`boundary_accuracy` measure the masks it predicts; :func:`train_unet` trains it with left-right
flips; :func:`load_unet` returns the shipped network (``tools/train_unet.py``).

Block functions work on symbolic Keras tensors (``keras.Input``) to build a model.
"""

from __future__ import annotations

import json
import numbers

import keras
import numpy as np
from keras import layers

from course_utils import _validate, paths

__all__ = ["conv_transpose_forward", "conv_transpose_output_size", "conv_block", "upsampling_block", "unet_model",
           "unet_from_blocks", "predict_masks", "iou_per_class", "mean_iou", "boundary_accuracy", "train_unet",
           "load_unet", "unet_record"]

_PADDINGS = ("valid", "same")


# --- Transposed convolution in numpy -------------------------------------------------------------

def conv_transpose_output_size(n: int, f: int, stride: int, padding: str) -> int:
    """Length of one spatial axis after a transposed convolution (Keras's rule).

    ``"same"`` gives ``n * stride``; ``"valid"`` gives ``n * stride + max(f - stride, 0)``, which is
    ``(n - 1) * stride + f`` whenever the kernel is at least as wide as the stride.

    Parameters
    ----------
    n : int
        Input length (>= 1).
    f : int
        Kernel size (>= 1).
    stride : int
        Stride (>= 1): how far apart the copies of the kernel land on the output.
    padding : {"valid", "same"}

    Returns
    -------
    int
    """
    n = _validate.integer(n, "n", minimum=1)
    f = _validate.integer(f, "f", minimum=1)
    stride = _validate.integer(stride, "stride", minimum=1)
    if padding not in _PADDINGS:
        raise ValueError(f'padding must be "valid" or "same"; got {padding!r}')
    return n * stride if padding == "same" else n * stride + max(f - stride, 0)


def conv_transpose_forward(A_prev, W, b, stride: int = 1, padding: str = "valid"):
    """Transposed convolution of a batch, in numpy: each input pixel stamps the kernel on the output.

    Input pixel ``(h, w)`` adds ``W @ A_prev[i, h, w, :]`` (a kernel-sized block with ``n_C``
    channels) to the output window that starts at ``(h * stride, w * stride)``; overlapping stamps
    add up. The full result has ``(n - 1) * stride + f`` rows; ``padding`` then crops it as Keras
    does (``"same"``: ``n * stride`` rows, cut ``(f - stride) // 2`` from the top and the rest from
    the bottom, likewise for columns). This is the gradient of a convolution with the same kernel
    with respect to its input, hence the name: as a matrix, it is the transposed matrix of that
    convolution.

    Parameters
    ----------
    A_prev : array_like, shape (m, n_H_prev, n_W_prev, n_C_prev)
    W : array_like, shape (f, f, n_C, n_C_prev)
        Keras's layout for ``Conv2DTranspose`` kernels: output channels before input channels.
    b : array_like, shape (n_C,) or (1, 1, 1, n_C)
    stride : int, default 1
    padding : {"valid", "same"}, default "valid"

    Returns
    -------
    Z : numpy.ndarray, shape (m, n_H, n_W, n_C)
        ``n_H = conv_transpose_output_size(n_H_prev, f, stride, padding)``, likewise ``n_W``;
        float32 when every input is float32, float64 otherwise.
    """
    A_prev = _validate.as_numeric_array(A_prev, "A_prev", ndim=4, layout="(m, n_H_prev, n_W_prev, n_C_prev)")
    W = _validate.as_numeric_array(W, "W", ndim=4, layout="(f, f, n_C, n_C_prev)")
    b = _validate.as_numeric_array(b, "b")
    stride = _validate.integer(stride, "stride", minimum=1)
    if padding not in _PADDINGS:
        raise ValueError(f'padding must be "valid" or "same"; got {padding!r}')
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f_W, n_C, W_in = W.shape
    if f != f_W:
        raise ValueError(f"W must hold square kernels (f, f, n_C, n_C_prev); got shape {W.shape}")
    if W_in != n_C_prev:
        raise ValueError(f"W has n_C_prev={W_in} input channels (last axis) but A_prev has {n_C_prev} channels "
                         "(last axis); they must match")
    if b.size != n_C:
        raise ValueError(f"b must hold one bias per output channel, n_C={n_C} (shape (n_C,) or (1, 1, 1, n_C)); "
                         f"got shape {b.shape}")
    dtype = _validate.result_dtype(A_prev, W, b)
    A_prev, W, b = A_prev.astype(dtype, copy=False), W.astype(dtype, copy=False), b.astype(dtype).reshape(n_C)

    full = np.zeros((m, (n_H_prev - 1) * stride + f, (n_W_prev - 1) * stride + f, n_C), dtype)
    for h in range(n_H_prev):
        for w in range(n_W_prev):
            # (m, n_C_prev) and (f, f, n_C, n_C_prev) -> one (f, f, n_C) stamp per image
            stamp = np.einsum("mc,ijkc->mijk", A_prev[:, h, w, :], W)
            full[:, h * stride:h * stride + f, w * stride:w * stride + f, :] += stamp
    Z = _crop_to(full, 1, conv_transpose_output_size(n_H_prev, f, stride, padding), f, stride, padding)
    Z = _crop_to(Z, 2, conv_transpose_output_size(n_W_prev, f, stride, padding), f, stride, padding)
    return Z + b


def _crop_to(full, axis, length, f, stride, padding):
    """Cut (or, when the stride is wider than the kernel, extend with zeros) one axis to ``length``."""
    have = full.shape[axis]
    if length > have:  # stride > f: Keras keeps the last stride's empty rows
        widths = [(0, 0)] * full.ndim
        widths[axis] = (0, length - have)
        return np.pad(full, widths)
    start = (f - stride) // 2 if padding == "same" else 0
    return np.take(full, np.arange(start, start + length), axis=axis)


# --- The U-Net blocks ------------------------------------------------------------------------------

def _tensor_shape(tensor, name):
    shape = getattr(tensor, "shape", None)
    if shape is None or len(shape) != 4:
        raise ValueError(f"{name} must be a 4-D tensor (m, n_H, n_W, n_C), e.g. keras.Input((96, 96, 3)); "
                         f"got {type(tensor).__name__} with shape {shape}")
    return tuple(shape)


def _conv3x3(n_filters):
    """The U-Net's convolution: 3×3, ReLU, same padding, He-normal initial weights."""
    return layers.Conv2D(n_filters, 3, activation="relu", padding="same", kernel_initializer="he_normal")


def conv_block(inputs, n_filters: int = 32, dropout_prob: float = 0, max_pooling: bool = True):
    """One block of the contracting path: two 3×3 convolutions, optional dropout, optional 2×2 max-pool.

    Parameters
    ----------
    inputs : tensor, shape (m, n_H, n_W, n_C)
        A symbolic Keras tensor (or an eager one).
    n_filters : int, default 32
        Filters of both convolutions (3×3, ReLU, ``padding="same"``, ``kernel_initializer="he_normal"``).
    dropout_prob : float in [0, 1), default 0
        A ``Dropout`` layer with this rate follows the convolutions when it is greater than 0.
    max_pooling : bool, default True
        Follow with ``MaxPooling2D(2)``, halving the height and width.

    Returns
    -------
    next_layer : tensor, shape (m, n_H // 2, n_W // 2, n_filters), or (m, n_H, n_W, n_filters) without pooling
        The input of the next block.
    skip_connection : tensor, shape (m, n_H, n_W, n_filters)
        The block's output before pooling, for the expanding path.
    """
    _tensor_shape(inputs, "inputs")
    n_filters = _validate.integer(n_filters, "n_filters", minimum=1)
    if isinstance(dropout_prob, (bool, np.bool_)) or not isinstance(dropout_prob, numbers.Real) \
            or not 0 <= dropout_prob < 1:
        raise ValueError(f"dropout_prob must be a number in [0, 1); got {dropout_prob!r}")
    if not isinstance(max_pooling, (bool, np.bool_)):
        raise TypeError(f"max_pooling must be True or False; got {max_pooling!r}")
    conv = _conv3x3(n_filters)(inputs)
    conv = _conv3x3(n_filters)(conv)
    if dropout_prob > 0:
        conv = layers.Dropout(dropout_prob)(conv)
    next_layer = layers.MaxPooling2D(pool_size=(2, 2))(conv) if max_pooling else conv
    return next_layer, conv


def upsampling_block(expansive_input, contractive_input, n_filters: int = 32):
    """One block of the expanding path: upsample by 2, join the skip connection, two 3×3 convolutions.

    Parameters
    ----------
    expansive_input : tensor, shape (m, n_H, n_W, n_C)
        The output of the block below.
    contractive_input : tensor, shape (m, 2 n_H, 2 n_W, n_C_skip)
        The skip connection from the contracting block of the same size.
    n_filters : int, default 32
        Filters of the transposed convolution (3×3, strides 2, ``padding="same"``) and of the two
        convolutions (as in :func:`conv_block`).

    Returns
    -------
    tensor, shape (m, 2 n_H, 2 n_W, n_filters)
        ``concatenate([upsampled, contractive_input], axis=3)`` after the two convolutions.
    """
    expansive = _tensor_shape(expansive_input, "expansive_input")
    contractive = _tensor_shape(contractive_input, "contractive_input")
    n_filters = _validate.integer(n_filters, "n_filters", minimum=1)
    wanted = tuple(None if n is None else 2 * n for n in expansive[1:3])
    if tuple(contractive[1:3]) != wanted:
        raise ValueError(f"contractive_input must be twice as high and wide as expansive_input {expansive[1:3]}, "
                         f"i.e. {wanted}, to be joined after upsampling; got {tuple(contractive[1:3])}")
    up = layers.Conv2DTranspose(n_filters, 3, strides=(2, 2), padding="same")(expansive_input)
    merged = layers.concatenate([up, contractive_input], axis=3)
    conv = _conv3x3(n_filters)(merged)
    return _conv3x3(n_filters)(conv)


def _zeros_like_skip(tensor):
    """A layer that outputs zeros of the tensor's shape: a cut skip connection."""
    return layers.Lambda(keras.ops.zeros_like)(tensor)


def unet_from_blocks(input_size=(96, 96, 3), n_filters: int = 32, n_classes: int = 10, conv_block=conv_block,
                     upsampling_block=upsampling_block, skips: bool = True):
    """The U-Net of :func:`unet_model`, assembled from the given block functions.

    Five contracting blocks with ``n_filters`` × 1, 2, 4, 8, 16 filters (dropout 0.3 in the last two,
    no pooling in the last), four upsampling blocks with ``n_filters`` × 8, 4, 2, 1, each joined to the
    contracting block of its size, a 3×3 convolution with ``n_filters`` and a 1×1 convolution with
    ``n_classes`` filters (no activation: the outputs are logits).

    Parameters
    ----------
    input_size : tuple (n_H, n_W, n_C), default (96, 96, 3)
        ``n_H`` and ``n_W`` divisible by 16 (four poolings of 2).
    n_filters : int, default 32
    n_classes : int, default 10
    conv_block, upsampling_block : callable
        Functions with the signatures of :func:`conv_block` and :func:`upsampling_block`.
    skips : bool, default True
        With ``False`` every skip connection is cut: the upsampling blocks receive zeros of the same
        shape instead of the contracting blocks' outputs. Same layers, same parameter count; the
        fine detail has to come through the 6×6 bottleneck.

    Returns
    -------
    keras.Model
        Input ``(None, n_H, n_W, n_C)``, output ``(None, n_H, n_W, n_classes)`` logits.
    """
    n_H, n_W, n_C = _validate.image_shape(input_size, "input_size")
    if n_H % 16 or n_W % 16:
        raise ValueError(f"input_size must have a height and width divisible by 16 (four poolings of 2); "
                         f"got {tuple(input_size)}")
    n_filters = _validate.integer(n_filters, "n_filters", minimum=1)
    n_classes = _validate.integer(n_classes, "n_classes", minimum=1)
    for name, fn in (("conv_block", conv_block), ("upsampling_block", upsampling_block)):
        if not callable(fn):
            raise TypeError(f"{name} must be a function; got {type(fn).__name__}")
    if not isinstance(skips, (bool, np.bool_)):
        raise TypeError(f"skips must be True or False; got {skips!r}")

    inputs = keras.Input((n_H, n_W, n_C))
    down = []
    X = inputs
    for depth in range(5):
        last = depth == 4
        X, skip = conv_block(X, n_filters * 2 ** depth, dropout_prob=0.3 if depth >= 3 else 0,
                             max_pooling=not last)
        down.append(skip)
    for depth in (3, 2, 1, 0):
        skip = down[depth] if skips else _zeros_like_skip(down[depth])
        X = upsampling_block(X, skip, n_filters * 2 ** depth)
    X = _conv3x3(n_filters)(X)
    outputs = layers.Conv2D(n_classes, 1, padding="same")(X)
    return keras.Model(inputs=inputs, outputs=outputs, name="unet" if skips else "unet_without_skips")


def unet_model(input_size=(96, 96, 3), n_filters: int = 32, n_classes: int = 10):
    """The course's U-Net: :func:`unet_from_blocks` with :func:`conv_block` and :func:`upsampling_block`.

    Parameters
    ----------
    input_size : tuple (n_H, n_W, n_C), default (96, 96, 3)
        The synthetic driving scenes are 96×96 (the course's photos were 96×128); height and width
        must be divisible by 16.
    n_filters : int, default 32
        Filters of the first block; each deeper block doubles them.
    n_classes : int, default 10
        Classes to score at each pixel (10 for :data:`course_utils.synthetic.driving.SEGMENTATION_CLASSES`).

    Returns
    -------
    keras.Model
        Input ``(None, n_H, n_W, n_C)``, output ``(None, n_H, n_W, n_classes)`` logits.
    """
    return unet_from_blocks(input_size, n_filters, n_classes)


# --- Measuring masks --------------------------------------------------------------------------------

def predict_masks(model, images, batch_size: int = 64):
    """The most likely class of every pixel.

    Parameters
    ----------
    model : keras.Model
        Maps ``(m, n_H, n_W, 3)`` float images in [0, 1] to ``(m, n_H, n_W, n_classes)`` scores.
    images : array_like, shape (m, n_H, n_W, 3)
        uint8 pictures (divided by 255 here) or floats in [0, 1].
    batch_size : int, default 64

    Returns
    -------
    numpy.ndarray, uint8, shape (m, n_H, n_W)
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    images = _validate.as_numeric_array(images, "images", ndim=4, layout="(m, n_H, n_W, 3)")
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    if images.dtype == np.uint8:
        images = images.astype(np.float32) / 255.0
    masks = []
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size].astype(np.float32)
        filled = len(batch)
        if filled < batch_size and len(images) > batch_size:  # same batch shape: no new tracing
            batch = np.concatenate([batch, np.zeros((batch_size - filled, *batch.shape[1:]), np.float32)])
        masks.append(np.argmax(model.predict_on_batch(batch)[:filled], axis=-1))
    return np.concatenate(masks).astype(np.uint8)


def _label_arrays(y_true, y_pred, n_classes):
    y_true = _validate.as_numeric_array(y_true, "y_true")
    y_pred = _validate.as_numeric_array(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_pred must have the shape of y_true {y_true.shape}; got {y_pred.shape}")
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values.size and (values.min() < 0 or values.max() >= n_classes):
            raise ValueError(f"{name} must hold class indices in 0..{n_classes - 1}; "
                             f"got {values.min()}..{values.max()}")
    return y_true.astype(np.int64), y_pred.astype(np.int64)


def iou_per_class(y_true, y_pred, n_classes: int):
    """Intersection over union of each class's pixels, over all the masks given.

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape (e.g. (m, n_H, n_W))
        True and predicted class indices.
    n_classes : int

    Returns
    -------
    numpy.ndarray, float64, shape (n_classes,)
        ``|true ∩ predicted| / |true ∪ predicted|`` per class; NaN for a class that is neither
        present nor predicted.
    """
    n_classes = _validate.integer(n_classes, "n_classes", minimum=1)
    y_true, y_pred = _label_arrays(y_true, y_pred, n_classes)
    counts = np.bincount((y_true * n_classes + y_pred).ravel(), minlength=n_classes ** 2)
    confusion = counts.reshape(n_classes, n_classes)  # [true, predicted]
    intersection = np.diag(confusion).astype(np.float64)
    union = confusion.sum(axis=0) + confusion.sum(axis=1) - intersection
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, intersection / union, np.nan)


def mean_iou(y_true, y_pred, n_classes: int):
    """Mean over classes of :func:`iou_per_class` (classes neither present nor predicted left out).

    Parameters
    ----------
    y_true, y_pred : array_like of int, same shape
    n_classes : int

    Returns
    -------
    mean : float
    per_class : numpy.ndarray, shape (n_classes,)
    """
    per_class = iou_per_class(y_true, y_pred, n_classes)
    return float(np.nanmean(per_class)), per_class


def boundary_accuracy(y_true, y_pred, width: int = 1):
    """Fraction of correctly labelled pixels among those near a boundary of the true mask.

    A pixel is near a boundary when a pixel within ``width`` rows and columns of it (a square
    window) has another true class. These are the pixels where a coarse mask goes wrong.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (m, n_H, n_W)
    width : int, default 1

    Returns
    -------
    float
    """
    y_true = _validate.as_numeric_array(y_true, "y_true", ndim=3, layout="(m, n_H, n_W)")
    y_pred = _validate.as_numeric_array(y_pred, "y_pred", ndim=3, layout="(m, n_H, n_W)")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_pred must have the shape of y_true {y_true.shape}; got {y_pred.shape}")
    width = _validate.integer(width, "width", minimum=1)
    near = np.zeros(y_true.shape, bool)
    padded = np.pad(y_true, ((0, 0), (width, width), (width, width)), mode="edge")
    n_H, n_W = y_true.shape[1:]
    for dy in range(2 * width + 1):
        for dx in range(2 * width + 1):
            near |= padded[:, dy:dy + n_H, dx:dx + n_W] != y_true
    if not near.any():
        raise ValueError("y_true has no boundary between classes; boundary accuracy is undefined")
    return float(np.mean(y_pred[near] == y_true[near]))


# --- Training and the shipped network ------------------------------------------------------------

def train_unet(model, images, masks, epochs: int = 1, batch_size: int = 32, learning_rate: float = 1e-3,
               seed: int = 0, flip: bool = True, verbose=1):
    """Compile (Adam, pixel-wise cross-entropy on logits) and fit, flipping half the scenes left-right.

    Parameters
    ----------
    model : keras.Model
        Outputs ``(m, n_H, n_W, n_classes)`` logits, e.g. :func:`unet_model`'s.
    images : numpy.ndarray, uint8, shape (m, n_H, n_W, 3)
    masks : numpy.ndarray, int, shape (m, n_H, n_W)
    epochs : int, default 1
    batch_size : int, default 32
    learning_rate : float or keras.optimizers.schedules.LearningRateSchedule, default 1e-3
    seed : int, default 0
        Seeds the shuffling and the flips.
    flip : bool, default True
        Mirror each training scene and its mask with probability 1/2 (a road scene mirrored is
        still a road scene).
    verbose : int or str, default 1
        Passed to ``model.fit``.

    Returns
    -------
    keras.callbacks.History
        With ``loss`` and ``accuracy`` (pixel accuracy) per epoch.
    """
    import tensorflow as tf

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    images = _validate.as_numeric_array(images, "images", ndim=4, layout="(m, n_H, n_W, 3)")
    masks = _validate.as_numeric_array(masks, "masks", ndim=3, layout="(m, n_H, n_W)")
    if images.shape[:3] != masks.shape:
        raise ValueError(f"masks must have shape (m, n_H, n_W) = {images.shape[:3]} to match images; "
                         f"got {masks.shape}")
    epochs = _validate.integer(epochs, "epochs", minimum=1)
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    seed = _validate.integer(seed, "seed", minimum=0)

    def prepare(image, mask):
        image = tf.cast(image, tf.float32) / 255.0
        if flip:
            mirror = tf.random.uniform([], seed=seed) < 0.5
            image = tf.where(mirror, tf.reverse(image, axis=[1]), image)
            mask = tf.where(mirror, tf.reverse(mask, axis=[1]), mask)
        return image, mask

    data = (tf.data.Dataset.from_tensor_slices((images, masks.astype(np.int32)))
            .shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
            .map(prepare).batch(batch_size).prefetch(2))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model.fit(data, epochs=epochs, verbose=verbose, shuffle=False)  # the dataset shuffles


def unet_record(path=None) -> dict:
    """What ``tools/train_unet.py`` recorded about the shipped U-Nets: settings, times and results.

    Parameters
    ----------
    path : str or path-like, optional
        Default :data:`course_utils.paths.UNET_RECORD`.

    Returns
    -------
    dict
    """
    path = paths.require(paths.UNET_RECORD if path is None else path, "the U-Net's training record",
                         "python tools/train_unet.py")
    return json.loads(path.read_text())


def load_unet(skips: bool = True, build=None, path=None, record=None):
    """A shipped U-Net (``tools/train_unet.py``), built by ``build`` and with its weights loaded.

    Parameters
    ----------
    skips : bool, default True
        The U-Net (True) or the same network trained with its skip connections cut (False).
    build : callable, optional
        ``build(input_size, n_filters, n_classes) -> keras.Model``, e.g. your ``unet_model``; default
        :func:`unet_model`, or :func:`unet_from_blocks` with ``skips=False``.
    path : str or path-like, optional
        A weights file; default the shipped one (:data:`course_utils.paths.UNET_WEIGHTS` or
        :data:`course_utils.paths.UNET_NO_SKIPS_WEIGHTS`).
    record : str or path-like, optional
        The training record that gives the network's size; default the shipped one.

    Returns
    -------
    model : keras.Model
    record : dict
        :func:`unet_record`.
    """
    if not isinstance(skips, (bool, np.bool_)):
        raise TypeError(f"skips must be True or False; got {skips!r}")
    record = unet_record(record)
    if build is None:
        def build(input_size, n_filters, n_classes):
            return unet_from_blocks(input_size, n_filters, n_classes, skips=skips)
    elif not callable(build):
        raise TypeError(f"build must be a function (input_size, n_filters, n_classes) -> keras.Model; "
                        f"got {type(build).__name__}")
    default = paths.UNET_WEIGHTS if skips else paths.UNET_NO_SKIPS_WEIGHTS
    weights = paths.require(default if path is None else path, "the U-Net's weights", "python tools/train_unet.py")
    model = build(tuple(record["input_size"]), record["n_filters"], record["n_classes"])
    model.load_weights(weights)
    return model, record
