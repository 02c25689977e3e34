"""Section 2.2's experiments: plain against residual stacks, gradient norms, ResNet-18/34.

Every builder returns an uncompiled ``keras.Model`` with seeded initializers, so two calls
build the same weights. The blocks of the course's ResNet-50 live in
:mod:`course_utils.resnet`; here are the deep stacks that notebook 2.2 measures.
"""

from __future__ import annotations

import inspect

import keras
import numpy as np
from keras import layers

from course_utils import _validate

__all__ = ["stem_block", "deep_stack", "gradient_norms", "basic_block", "basic_resnet",
           "recompute_batch_norm_statistics"]


def stem_block(inputs, filters, seed):
    """The stem of the small networks: 5x5 conv (stride 2, same) -> ReLU -> 2x2 max-pool.

    A 64x64 image becomes 16x16 with ``filters`` channels; the convolution's weights are drawn
    with ``seed``.
    """
    X = layers.Conv2D(filters, 5, strides=2, padding="same", activation="relu",
                      kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(inputs)
    return layers.MaxPooling2D(2)(X)


def deep_stack(input_shape=(64, 64, 3), depth=20, residual=False, width=16, classes=6, batch_norm=True,
               stem=True, initializer="glorot_uniform", seed=0):
    """``depth`` 3x3 convolutions (same padding, ``width`` filters) with or without skip connections.

    The convolutions come in pairs. Plain: ``a = relu(bn(conv(relu(bn(conv(a))))))``. Residual:
    the pair's input is added before the second ReLU, ``a = relu(bn(conv(relu(bn(conv(a))))) + a)``,
    the 2-layer "basic block" of the lecture. Both networks have exactly the same layers and
    parameters; only the ``Add`` differs. A head of global average pooling and a dense softmax
    follows; an optional stem (5x5 conv stride 2 and 2x2 max-pool) shrinks the input 4 times.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    depth : int, default 20
        Number of 3x3 convolutions in the stack; even.
    residual : bool, default False
        Add the skip connections.
    width : int, default 16
        Filters of every convolution (the stem's too).
    classes : int or None, default 6
        None: no head, the model outputs the stack's last activation (to learn a mapping
        of images to images, e.g. the identity).
    batch_norm : bool, default True
        BatchNormalization (momentum 0.9, so that its moving averages settle within a few
        epochs) after every convolution of the stack.
    stem : bool, default True
        Without the stem, a 1x1 convolution maps the input to ``width`` channels, unless it
        already has ``width`` channels.
    initializer : str, default "glorot_uniform"
        Name of a Keras initializer (e.g. "he_normal", "zeros"); seeded when it takes a seed.
    seed : int, default 0
        Layer ``i`` gets ``seed + i``.

    Returns
    -------
    keras.Model
        Named ``"residual_<depth>"`` or ``"plain_<depth>"``.
    """
    shape = _validate.image_shape(input_shape)
    depth = _validate.integer(depth, "depth", minimum=2)
    if depth % 2:
        raise ValueError(f"depth must be even (the convolutions come in pairs); got {depth}")
    width = _validate.integer(width, "width", minimum=1)
    if classes is not None:
        classes = _validate.integer(classes, "classes", minimum=2)
    make_initializer = keras.initializers.get(initializer).__class__
    if "seed" not in inspect.signature(make_initializer).parameters:  # e.g. "zeros"
        make_initializer = (lambda cls: lambda seed: cls())(make_initializer)

    inputs = keras.Input(shape)
    if stem:
        X = stem_block(inputs, width, seed + 1000)
    elif shape[-1] != width:
        X = layers.Conv2D(width, 1, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1000))(inputs)
    else:
        X = inputs
    for pair in range(depth // 2):
        shortcut = X
        for k in range(2):
            X = layers.Conv2D(width, 3, padding="same", name=f"conv_{2 * pair + k + 1}",
                              kernel_initializer=make_initializer(seed=seed + 2 * pair + k))(X)
            if batch_norm:
                X = layers.BatchNormalization(axis=3, momentum=0.9)(X)
            if k == 1 and residual:
                X = layers.Add()([X, shortcut])
            X = layers.Activation("relu")(X)
    if classes is not None:
        X = layers.GlobalAveragePooling2D()(X)
        X = layers.Dense(classes, activation="softmax",
                         kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(X)
    return keras.Model(inputs, X, name=f"{'residual' if residual else 'plain'}_{depth}")


def gradient_norms(model, X, Y):
    """L2 norm of the loss gradient for each ``conv_<i>`` kernel of a :func:`deep_stack`, in order.

    Measured with ``tf.GradientTape`` on one batch, categorical cross-entropy, BatchNormalization
    in training mode (as during ``fit``).

    Parameters
    ----------
    model : keras.Model
        With layers named ``conv_1``, ``conv_2``, ... (as :func:`deep_stack` builds).
    X : array_like, shape (m, n_H, n_W, n_C)
    Y : array_like, shape (m, classes)
        One-hot labels.

    Returns
    -------
    numpy.ndarray
        float64, one norm per convolution, first layer first.
    """
    import tensorflow as tf

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    convs = sorted((layer for layer in model.layers if layer.name.startswith("conv_")),
                   key=lambda layer: int(layer.name.split("_")[1]))
    if not convs:
        raise ValueError("model has no layers named conv_1, conv_2, ...: build it with deep_stack")
    X = tf.convert_to_tensor(np.asarray(X, np.float32))
    Y = tf.convert_to_tensor(np.asarray(Y, np.float32))
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X and Y must have the same number of examples; got {X.shape[0]} and {Y.shape[0]}")
    kernels = [layer.kernel for layer in convs]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.categorical_crossentropy(Y, model(X, training=True)))
    return np.array([float(tf.norm(g)) for g in tape.gradient(loss, kernels)])


def basic_block(X, filters, s=1, training=None, seed=0):
    """The 2-layer residual block of ResNet-18/34: two 3x3 convolutions and a skip connection.

    ``relu(bn(conv3x3(relu(bn(conv3x3_s(X))))) + shortcut)``; the shortcut is ``X`` itself, or a
    1x1 convolution with stride ``s`` and BatchNormalization when the size or channels change.

    Parameters
    ----------
    X : tensor, shape (m, n_H, n_W, n_C)
    filters : int
    s : int, default 1
    training : bool or None
    seed : int, default 0

    Returns
    -------
    tensor, shape (m, ceil(n_H / s), ceil(n_W / s), filters)
    """
    filters = _validate.integer(filters, "filters", minimum=1)
    s = _validate.integer(s, "s", minimum=1)
    glorot = keras.initializers.GlorotUniform
    shortcut = X
    if s != 1 or X.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=s, kernel_initializer=glorot(seed=seed))(X)
        shortcut = layers.BatchNormalization(axis=3)(shortcut, training=training)
    X = layers.Conv2D(filters, 3, strides=s, padding="same", kernel_initializer=glorot(seed=seed))(X)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X, training=training))
    X = layers.Conv2D(filters, 3, padding="same", kernel_initializer=glorot(seed=seed))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    return layers.Activation("relu")(layers.Add()([X, shortcut]))


BASIC_RESNET_BLOCKS = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3]}


def basic_resnet(depth=18, input_shape=(64, 64, 3), classes=6):
    """ResNet-18 or ResNet-34 (He et al., 2016) from :func:`basic_block`.

    7x7 conv (64, stride 2) and 3x3 max-pool, four stages of basic blocks (64, 128, 256, 512
    filters; stride 2 from the second stage), global average pooling, dense softmax.
    ``1 + 2 * blocks + 1 = depth`` layers with weights, not counting shortcut projections.

    Parameters
    ----------
    depth : {18, 34}
    input_shape : tuple of int, default (64, 64, 3)
    classes : int, default 6

    Returns
    -------
    keras.Model
    """
    if depth not in BASIC_RESNET_BLOCKS:
        raise ValueError(f"depth must be one of {sorted(BASIC_RESNET_BLOCKS)}; got {depth!r}")
    classes = _validate.integer(classes, "classes", minimum=2)
    inputs = keras.Input(_validate.image_shape(input_shape))
    X = layers.Conv2D(64, 7, strides=2, padding="same",
                      kernel_initializer=keras.initializers.GlorotUniform(seed=0))(inputs)
    X = layers.Activation("relu")(layers.BatchNormalization(axis=3)(X))
    X = layers.MaxPooling2D(3, strides=2, padding="same")(X)
    for stage, blocks in enumerate(BASIC_RESNET_BLOCKS[depth]):
        for block in range(blocks):
            X = basic_block(X, 64 * 2 ** stage, s=2 if stage and not block else 1)
    X = layers.GlobalAveragePooling2D()(X)
    outputs = layers.Dense(classes, activation="softmax")(X)
    return keras.Model(inputs, outputs, name=f"ResNet{depth}")


def recompute_batch_norm_statistics(model, X, batch_size=None):
    """Set every BatchNormalization's moving mean and variance to the statistics of ``X``.

    After a short training the moving averages lag behind the weights (in deep residual stacks
    the error compounds from block to block and inference-mode predictions can collapse). One
    forward pass in training mode with momentum 0 replaces them by the statistics of ``X``
    (the whole training set, in one batch by default), so that ``evaluate`` and ``predict``
    use the network that was actually trained. The weights are not changed.

    Parameters
    ----------
    model : keras.Model
    X : array_like, shape (m, ...)
        Typically the training inputs.
    batch_size : int, optional
        Default: all of ``X`` in one batch (exact statistics).

    Returns
    -------
    int
        The number of BatchNormalization layers updated.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    X = np.asarray(X, np.float32)
    if batch_size is not None and _validate.integer(batch_size, "batch_size", minimum=1) < len(X):
        raise ValueError("batch_size smaller than X is not supported: the statistics must come from one batch")

    def batch_norms(layer):
        if isinstance(layer, layers.BatchNormalization):
            yield layer
        for inner in getattr(layer, "layers", []):
            yield from batch_norms(inner)

    found = list(batch_norms(model))
    momenta = [layer.momentum for layer in found]
    try:
        for layer in found:
            layer.momentum = 0.0
        model(X, training=True)
    finally:
        for layer, momentum in zip(found, momenta, strict=True):
            layer.momentum = momentum
    return len(found)
