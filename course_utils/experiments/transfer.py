"""Section 2.4's experiments: reusing a trained network's features, and test-time crops.

:func:`small_convnet` is a network whose feature extractor can be reused; :func:`transfer_model`
puts a new head on any trained network's features; :func:`crops`, :func:`random_crops` and
:func:`multi_crop_predict` are the training- and test-time cropping that notebook 2.4 measures.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from course_utils import _validate

__all__ = ["small_convnet", "transfer_model", "crop_boxes", "crops", "random_crops", "multi_crop_predict"]


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
    shape = _validate.image_shape(input_shape)
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
