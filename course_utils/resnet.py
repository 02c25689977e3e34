"""Residual networks (section 2.2 and the 2.6 project): the two blocks and ResNet-50.

A residual block adds its input back to the output of its main path before the last ReLU:
``a[l+2] = relu(z[l+2] + a[l])``. If the main path learns to output zeros, the block is the
identity, which is why stacking more blocks does not make a network harder to train.

Both blocks are plain functions of a tensor: they create their layers when called, so they
work on symbolic Keras tensors (to build a model) and on eager arrays (to look at numbers).
Every convolution gets ``initializer(seed=0)``, so two calls with the same input agree.
"""

from __future__ import annotations

import keras
from keras import layers

from course_utils import _validate, paths

__all__ = ["identity_block", "convolutional_block", "ResNet50", "count_skip_connections", "small_resnet",
           "load_signs_resnet", "random_uniform", "glorot_uniform"]

random_uniform = keras.initializers.RandomUniform
glorot_uniform = keras.initializers.GlorotUniform


def _check_block_args(X, f, filters, initializer):
    shape = getattr(X, "shape", None)
    if shape is None or len(shape) != 4:
        raise ValueError(f"X must be a 4-D tensor (m, n_H, n_W, n_C); got shape {shape}")
    f = _validate.integer(f, "f", minimum=1)
    if not isinstance(filters, (list, tuple)) or len(filters) != 3:
        raise ValueError(f"filters must be a list [F1, F2, F3] of three integers; got {filters!r}")
    F1, F2, F3 = (_validate.integer(n, f"filters[{i}]", minimum=1) for i, n in enumerate(filters))
    if not callable(initializer):
        raise TypeError("initializer must be a callable taking seed= and returning a Keras initializer "
                        f"(e.g. keras.initializers.GlorotUniform); got {initializer!r}")
    return f, F1, F2, F3


def _conv_bn(X, n_filters, f, stride, padding, training, initializer, activation=True):
    """Conv2D -> BatchNormalization(axis=3) [-> ReLU], the unit every path is made of."""
    X = layers.Conv2D(n_filters, f, strides=stride, padding=padding,
                      kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    return layers.Activation("relu")(X) if activation else X


def identity_block(X, f, filters, training=True, initializer=random_uniform):
    """Residual block whose shortcut is the input itself (input and output shapes match).

    Main path: 1x1 conv (F1) -> BN -> ReLU -> fxf conv, same padding (F2) -> BN -> ReLU ->
    1x1 conv (F3) -> BN; then add the input and apply ReLU.

    Parameters
    ----------
    X : tensor, shape (m, n_H, n_W, n_C)
        Input; ``n_C`` must equal ``F3`` so that it can be added to the main path.
    f : int
        Size of the middle convolution's window.
    filters : list of int
        ``[F1, F2, F3]``, filters of the three convolutions.
    training : bool, default True
        Passed to BatchNormalization: batch statistics (True) or moving averages (False).
    initializer : callable, default ``keras.initializers.RandomUniform``
        Called as ``initializer(seed=0)`` for every convolution's kernel.

    Returns
    -------
    tensor, shape (m, n_H, n_W, F3)
    """
    f, F1, F2, F3 = _check_block_args(X, f, filters, initializer)
    if X.shape[-1] != F3:
        raise ValueError(f"filters[2] (F3={F3}) must equal the channels of X ({X.shape[-1]}): the identity "
                         "shortcut adds X to the main path; use convolutional_block to change the channels")
    X_shortcut = X
    X = _conv_bn(X, F1, 1, 1, "valid", training, initializer)
    X = _conv_bn(X, F2, f, 1, "same", training, initializer)
    X = _conv_bn(X, F3, 1, 1, "valid", training, initializer, activation=False)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


def convolutional_block(X, f, filters, s=2, training=True, initializer=glorot_uniform):
    """Residual block with a 1x1 convolution on the shortcut, to change size and channels.

    Main path as in :func:`identity_block`, but the first 1x1 convolution has stride ``s``;
    the shortcut is a 1x1 convolution (F3 filters, stride ``s``) followed by BatchNormalization.

    Parameters
    ----------
    X : tensor, shape (m, n_H, n_W, n_C)
    f : int
        Size of the middle convolution's window.
    filters : list of int
        ``[F1, F2, F3]``.
    s : int, default 2
        Stride of the first main-path convolution and of the shortcut.
    training : bool, default True
    initializer : callable, default ``keras.initializers.GlorotUniform``
        Called as ``initializer(seed=0)``.

    Returns
    -------
    tensor, shape (m, ceil(n_H / s), ceil(n_W / s), F3)
    """
    f, F1, F2, F3 = _check_block_args(X, f, filters, initializer)
    s = _validate.integer(s, "s", minimum=1)
    X_shortcut = _conv_bn(X, F3, 1, s, "valid", training, initializer, activation=False)
    X = _conv_bn(X, F1, 1, s, "valid", training, initializer)
    X = _conv_bn(X, F2, f, 1, "same", training, initializer)
    X = _conv_bn(X, F3, 1, 1, "valid", training, initializer, activation=False)
    return layers.Activation("relu")(layers.Add()([X, X_shortcut]))


# (filters, number of blocks, stride of the stage's first block) for ResNet-50's four stages
RESNET50_STAGES = [
    ([64, 64, 256], 3, 1),
    ([128, 128, 512], 4, 2),
    ([256, 256, 1024], 6, 2),
    ([512, 512, 2048], 3, 2),
]


def ResNet50(input_shape=(64, 64, 3), classes=6, training=None):  # noqa: N802 - the course's name
    """The 50-layer residual network, built from the two blocks.

    conv1: zero-pad 3, 7x7 conv (64, stride 2), BN, ReLU, 3x3 max-pool (stride 2); then four
    stages of 3, 4, 6 and 3 bottleneck blocks (the first of each a convolutional block, stride 1
    for stage 2 and 2 after); 2x2 average pooling, flatten, dense softmax.
    1 + 3 * (3 + 4 + 6 + 3) + 1 = 50 layers with weights (not counting the shortcut convolutions).

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
        ``(n_H, n_W, n_C)``; at least 32 x 32 so that the last stage is not empty.
    classes : int, default 6
        Number of classes of the softmax.
    training : bool or None, default None
        Passed to BatchNormalization; None lets Keras use batch statistics in ``fit`` and
        moving averages in ``predict``/``evaluate``.

    Returns
    -------
    keras.Model
    """
    sizes = _validate.image_shape(input_shape)
    if min(sizes[:2]) < 32:
        raise ValueError(f"input_shape must be at least 32 x 32 for ResNet-50's five halvings; got {input_shape}")
    classes = _validate.integer(classes, "classes", minimum=1)

    inputs = keras.Input(tuple(sizes))
    X = layers.ZeroPadding2D(3)(inputs)
    X = _conv_bn(X, 64, 7, 2, "valid", training, glorot_uniform)
    X = layers.MaxPooling2D(3, strides=2)(X)
    for filters, blocks, stride in RESNET50_STAGES:
        X = convolutional_block(X, 3, filters, s=stride, training=training)
        for _ in range(blocks - 1):
            X = identity_block(X, 3, filters, training=training)
    X = layers.AveragePooling2D(2, padding="same")(X)
    X = layers.Flatten()(X)
    outputs = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs, outputs, name="ResNet50")


def count_skip_connections(model):
    """Number of skip connections in a model: the ``Add`` layers that join a shortcut.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    int
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    return sum(isinstance(layer, layers.Add) for layer in model.layers)


# (filters, number of blocks, stride of the stage's first block) of the small SIGNS network
SMALL_RESNET_STAGES = [
    ([16, 16, 64], 2, 1),
    ([32, 32, 128], 2, 2),
]


def small_resnet(input_shape=(64, 64, 3), classes=6, stages=None, stem_filters=16, training=None,
                 name="small_resnet"):
    """A small residual network for SIGNS, built from the same two blocks as ResNet-50.

    Stem: 5x5 conv (``stem_filters``, stride 2, same) -> BN -> ReLU -> 2x2 max-pool, so a 64x64
    image becomes 16x16. Then, per stage, one :func:`convolutional_block` followed by identity
    blocks; global average pooling and a dense softmax.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    classes : int, default 6
    stages : list of (filters, blocks, stride), optional
        Default :data:`SMALL_RESNET_STAGES`: two stages of two bottleneck blocks (13 layers with
        weights, 4 skip connections, about 60 thousand parameters).
    stem_filters : int, default 16
    training : bool or None, default None
        Passed to BatchNormalization (None: Keras decides, batch statistics in ``fit``).
    name : str, default "small_resnet"

    Returns
    -------
    keras.Model
        Not compiled.
    """
    sizes = _validate.image_shape(input_shape)
    classes = _validate.integer(classes, "classes", minimum=2)
    stem_filters = _validate.integer(stem_filters, "stem_filters", minimum=1)
    stages = SMALL_RESNET_STAGES if stages is None else stages
    if not stages:
        raise ValueError("stages must hold at least one (filters, blocks, stride) triple")
    inputs = keras.Input(sizes)
    X = _conv_bn(inputs, stem_filters, 5, 2, "same", training, glorot_uniform)
    X = layers.MaxPooling2D(2)(X)
    for filters, blocks, stride in stages:
        blocks = _validate.integer(blocks, "blocks", minimum=1)
        X = convolutional_block(X, 3, list(filters), s=stride, training=training)
        for _ in range(blocks - 1):
            X = identity_block(X, 3, list(filters), training=training)
    X = layers.GlobalAveragePooling2D()(X)
    outputs = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs, outputs, name=name)


def load_signs_resnet(path=None):
    """The small residual network of notebook 2.6 with its shipped SIGNS weights, and their record.

    The weights were written by ``tools/train_resnet_signs.py``; the record beside them holds the
    training settings, the test accuracy and a SHA-256 of the SIGNS arrays they were trained on.

    Parameters
    ----------
    path : str or path-like, optional
        A weights file of :func:`small_resnet`; default the shipped one,
        :data:`course_utils.paths.SIGNS_RESNET_WEIGHTS`.

    Returns
    -------
    model : keras.Model
        :func:`small_resnet` with the weights loaded (not compiled).
    metadata : dict
        The JSON record beside the weights (empty if there is none).
    """
    import json
    from pathlib import Path

    path = paths.require(paths.SIGNS_RESNET_WEIGHTS if path is None else path, "the SIGNS residual network's weights",
                         "python tools/train_resnet_signs.py")
    record = Path(path).with_name(Path(path).name.replace(".weights.h5", ".json"))
    metadata = json.loads(record.read_text()) if record.is_file() else {}
    model = small_resnet()
    model.load_weights(path)
    return model, metadata
