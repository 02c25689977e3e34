"""Small experiments of sections 2.2-2.4: plain vs residual stacks, inception stacks, transfer, multi-crop.

Every builder returns an uncompiled ``keras.Model`` with seeded initializers, so two calls
build the same weights. The functions here are what notebooks 2.2, 2.3 and 2.4 measure;
the blocks themselves live in :mod:`course_utils.resnet` and :mod:`course_utils.inception`.
"""

from __future__ import annotations

import inspect

import keras
import numpy as np
from keras import layers

from course_utils import _validate
from course_utils.inception import inception_block

__all__ = ["deep_stack", "gradient_norms", "basic_block", "basic_resnet", "inception_net",
           "small_convnet", "transfer_model", "crop_boxes", "crops", "random_crops", "multi_crop_predict",
           "recompute_batch_norm_statistics"]


def _input_shape(input_shape):
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (n_H, n_W, n_C); got {input_shape!r}")
    return tuple(_validate.integer(n, f"input_shape[{i}]", minimum=1) for i, n in enumerate(input_shape))


def _stem(inputs, filters, seed):
    """5x5 conv (stride 2, same) -> ReLU -> 2x2 max-pool: a 64x64 image becomes 16x16."""
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
    shape = _input_shape(input_shape)
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
        X = _stem(inputs, width, seed + 1000)
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
    inputs = keras.Input(_input_shape(input_shape))
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


def inception_net(input_shape=(64, 64, 3), classes=6, blocks=1, width=8, seed=0):
    """A small inception network: stem, ``blocks`` inception blocks, global pooling, softmax.

    Each block has the branches of :func:`course_utils.inception.inception_block` with
    ``width`` filters for the 1x1, 3x3 and 5x5 outputs and the pool projection (so it outputs
    ``4 * width`` channels) and ``width // 2`` filters in the 1x1 bottlenecks, followed by
    BatchNormalization (as in Inception-v2; the stem's output too). A 2x2 max-pool follows
    every second block, as GoogLeNet pools between groups of blocks.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    classes : int, default 6
    blocks : int, default 1
    width : int, default 8
    seed : int, default 0

    Returns
    -------
    keras.Model
        Named ``"inception_<blocks>"``.
    """
    blocks = _validate.integer(blocks, "blocks", minimum=1)
    width = _validate.integer(width, "width", minimum=2)
    classes = _validate.integer(classes, "classes", minimum=2)
    inputs = keras.Input(_input_shape(input_shape))
    X = layers.BatchNormalization(axis=3, momentum=0.9)(_stem(inputs, 2 * width, seed))
    for block in range(blocks):
        X = inception_block(X, width, width // 2, width, width // 2, width, width)
        X = layers.BatchNormalization(axis=3, momentum=0.9)(X)
        if block % 2 == 1 and X.shape[1] > 2:
            X = layers.MaxPooling2D(2)(X)
    X = layers.GlobalAveragePooling2D()(X)
    outputs = layers.Dense(classes, activation="softmax",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(X)
    return keras.Model(inputs, outputs, name=f"inception_{blocks}")


def small_convnet(input_shape=(64, 64, 3), classes=6, seed=0, batch_norm=False):
    """Three conv-ReLU-pool stages (16, 32, 64 filters) then global pooling and a softmax.

    Optional BatchNormalization (momentum 0.9) after each convolution. It is off by default:
    after short trainings with a large learning rate its moving averages did not match the
    weights and test predictions collapsed to one class, which matters more here than speed.

    The layers up to the global pooling form the reusable feature extractor (named
    ``"features"``); the dense layer is named ``"head"``.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    classes : int, default 6
    seed : int, default 0
    batch_norm : bool, default False

    Returns
    -------
    keras.Model
    """
    classes = _validate.integer(classes, "classes", minimum=2)
    shape = _input_shape(input_shape)
    feature_layers = [keras.Input(shape)]
    for i, filters in enumerate([16, 32, 64]):
        feature_layers.append(layers.Conv2D(filters, 3, padding="same",
                                            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i)))
        if batch_norm:
            feature_layers.append(layers.BatchNormalization(axis=3, momentum=0.9))
        feature_layers += [layers.Activation("relu"), layers.MaxPooling2D(2)]
    feature_layers.append(layers.GlobalAveragePooling2D())
    features = keras.Sequential(feature_layers, name="features")
    inputs = keras.Input(shape)
    outputs = layers.Dense(classes, activation="softmax", name="head",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(features(inputs))
    return keras.Model(inputs, outputs, name="small_convnet")


def transfer_model(pretrained, classes, freeze=True, seed=0, feature_layer=None):
    """A new network that reuses ``pretrained``'s feature extractor with a new head.

    Parameters
    ----------
    pretrained : keras.Model
        A trained network. By default its sub-model named ``"features"`` is reused (as built
        by :func:`small_convnet`); with ``feature_layer``, everything from its input up to
        that layer, e.g. the global pooling layer of :func:`course_utils.resnet.small_resnet`
        or of the face encoder.
    classes : int
        Classes of the new task; 2 gives a single sigmoid unit (binary cross-entropy).
    freeze : bool, default True
        Keep the reused weights fixed (train only the head). BatchNormalization of a frozen
        extractor runs in inference mode.
    seed : int, default 0
        Seed of the new head's initial weights.
    feature_layer : str, optional
        Name of the layer of ``pretrained`` whose output becomes the features, of shape
        ``(m, d)`` (flatten or pool first).

    Returns
    -------
    keras.Model
        Input as ``pretrained``'s, output ``(m, 1)`` for ``classes=2``, else ``(m, classes)``.
        The extractor's weights are shared with ``pretrained``'s; copy the model first to
        keep it.
    """
    if not isinstance(pretrained, keras.Model):
        raise TypeError(f"pretrained must be a keras.Model; got {type(pretrained).__name__}")
    classes = _validate.integer(classes, "classes", minimum=2)
    features = _feature_extractor(pretrained, feature_layer)
    # Layer by layer: a new wrapper model is already "trainable", so setting the flag on it
    # alone would not undo an earlier freeze of the layers it shares with ``pretrained``.
    for layer in [features, *features.layers]:
        layer.trainable = not freeze
    inputs = keras.Input(features.input_shape[1:])
    X = features(inputs, training=False if freeze else None)
    units, activation = (1, "sigmoid") if classes == 2 else (classes, "softmax")
    head = layers.Dense(units, activation=activation, name="new_head",
                        kernel_initializer=keras.initializers.GlorotUniform(seed=seed))
    return keras.Model(inputs, head(X), name="transfer")


def _feature_extractor(pretrained, feature_layer):
    if feature_layer is None:
        try:
            return pretrained.get_layer("features")
        except ValueError:
            raise ValueError(f"pretrained ({pretrained.name!r}) has no 'features' sub-model: build it with "
                             "small_convnet, or name the layer to reuse with feature_layer") from None
    if not isinstance(feature_layer, str):
        raise TypeError(f"feature_layer must be a layer name (str) or None; got {type(feature_layer).__name__}")
    names = [layer.name for layer in pretrained.layers]
    if feature_layer not in names:
        raise ValueError(f"feature_layer must name a layer of {pretrained.name!r}; got {feature_layer!r} "
                         f"(its last layers: {names[-4:]})")
    output = pretrained.get_layer(feature_layer).output
    if len(output.shape) != 2:
        raise ValueError(f"feature_layer must give features of shape (m, d); {feature_layer!r} gives "
                         f"{tuple(output.shape)}: pool or flatten first")
    return keras.Model(pretrained.input, output, name="features")


def crop_boxes(image_size, crop_size, n_crops=5):
    """Top-left corners of the test-time crops: the centre, then the four corners.

    Parameters
    ----------
    image_size : int
    crop_size : int
        At most ``image_size``.
    n_crops : {1, 5}
        1: the centre crop only; 5: centre and four corners (with flips, the classic 10-crop).

    Returns
    -------
    list of (int, int)
        ``(row, column)`` of each crop's top-left pixel.
    """
    image_size = _validate.integer(image_size, "image_size", minimum=1)
    crop_size = _validate.integer(crop_size, "crop_size", minimum=1)
    if crop_size > image_size:
        raise ValueError(f"crop_size ({crop_size}) must be at most image_size ({image_size})")
    if n_crops not in (1, 5):
        raise ValueError(f"n_crops must be 1 or 5; got {n_crops!r}")
    far, centre = image_size - crop_size, (image_size - crop_size) // 2
    boxes = [(centre, centre)]
    return boxes if n_crops == 1 else boxes + [(0, 0), (0, far), (far, 0), (far, far)]


def crops(X, crop_size, n_crops=5, flip=False):
    """Cut the test-time crops of every image in ``X``.

    Parameters
    ----------
    X : numpy.ndarray, shape (m, n, n, n_C)
    crop_size : int
    n_crops : {1, 5}
        See :func:`crop_boxes`.
    flip : bool, default False
        Also the left-right mirror of each crop (10-crop with ``n_crops=5``).

    Returns
    -------
    numpy.ndarray, shape (k, m, crop_size, crop_size, n_C)
        ``k = n_crops`` or ``2 * n_crops`` views of each image.
    """
    X = np.asarray(X)
    if X.ndim != 4 or X.shape[1] != X.shape[2]:
        raise ValueError(f"X must have shape (m, n, n, n_C) with square images; got {X.shape}")
    views = [X[:, r:r + crop_size, c:c + crop_size] for r, c in crop_boxes(X.shape[1], crop_size, n_crops)]
    if flip:
        views += [v[:, :, ::-1] for v in views]
    return np.stack(views)


def random_crops(X, crop_size, seed=0):
    """One random ``crop_size`` square of every image (data augmentation for training).

    Parameters
    ----------
    X : numpy.ndarray, shape (m, n, n, n_C)
    crop_size : int
    seed : int, default 0

    Returns
    -------
    numpy.ndarray, shape (m, crop_size, crop_size, n_C)
    """
    X = np.asarray(X)
    if X.ndim != 4 or X.shape[1] != X.shape[2]:
        raise ValueError(f"X must have shape (m, n, n, n_C) with square images; got {X.shape}")
    crop_size = _validate.integer(crop_size, "crop_size", minimum=1)
    if crop_size > X.shape[1]:
        raise ValueError(f"crop_size ({crop_size}) must be at most the image size ({X.shape[1]})")
    corners = np.random.default_rng(seed).integers(0, X.shape[1] - crop_size + 1, size=(len(X), 2))
    return np.stack([x[r:r + crop_size, c:c + crop_size] for x, (r, c) in zip(X, corners, strict=True)])


def multi_crop_predict(model, X, crop_size, n_crops=5, flip=False, batch_size=256):
    """Average a model's predicted probabilities over test-time crops of each image.

    Parameters
    ----------
    model : keras.Model
        Taking ``(crop_size, crop_size, n_C)`` images.
    X : numpy.ndarray, shape (m, n, n, n_C)
    crop_size, n_crops, flip
        See :func:`crops`.
    batch_size : int, default 256

    Returns
    -------
    numpy.ndarray, shape (m, classes)
        Mean probabilities; the model ran on ``n_crops`` (times 2 with ``flip``) views per image.
    """
    views = crops(X, crop_size, n_crops, flip)
    k, m = views.shape[:2]
    probabilities = model.predict(views.reshape((k * m,) + views.shape[2:]), batch_size=batch_size, verbose=0)
    return probabilities.reshape((k, m, -1)).mean(axis=0)


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
