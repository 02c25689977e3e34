"""The Keras models of sections 1.5 and 2.5, and helpers to run them on your own pictures.

``happy_model`` and ``convolutional_model`` follow the course's architectures exactly (see
``API.md``); ``fully_connected_model`` is the baseline that section 1.5 compares against.
``preprocess_image`` turns any picture file (any size, RGB, RGBA or greyscale) into the
``(1, 64, 64, 3)`` float batch those models expect, and ``predict_image`` runs a model on it.
"""

from __future__ import annotations

import numpy as np

from course_utils import _validate, image_io

__all__ = ["happy_model", "happy_model_functional", "convolutional_model", "fully_connected_model", "preprocess_image",
           "predict_image", "confusion_matrix", "accuracy"]


def happy_model():
    """The binary smile classifier of section 2.5, built with the Sequential API.

    ZeroPadding2D(3) -> Conv2D(32, 7x7, stride 1) -> BatchNormalization(axis=3) -> ReLU
    -> MaxPooling2D(2x2) -> Flatten -> Dense(1, sigmoid).

    Returns
    -------
    keras.Sequential
        Input ``(None, 64, 64, 3)``, output ``(None, 1)``: the probability of a smile.
        Not compiled.
    """
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=(64, 64, 3)),
        layers.ZeroPadding2D(padding=3),                    # (70, 70, 3)
        layers.Conv2D(32, 7, strides=1, name="conv0"),      # (64, 64, 32)
        layers.BatchNormalization(axis=3, name="bn0"),
        layers.ReLU(),
        layers.MaxPooling2D(name="max_pool0"),              # (32, 32, 32)
        layers.Flatten(),                                   # (32768,)
        layers.Dense(1, activation="sigmoid", name="fc"),
    ], name="happy_model")


def happy_model_functional():
    """:func:`happy_model` again, layer for layer, written with the Functional API.

    Section 2.5 puts the two side by side: the same layers (same names, same parameter
    count, 37,633), but each layer is called on the tensor the previous one returned and
    ``keras.Model(inputs, outputs)`` ties the graph together.

    Returns
    -------
    keras.Model
        Input ``(None, 64, 64, 3)``, output ``(None, 1)``. Not compiled.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=(64, 64, 3))
    X = layers.ZeroPadding2D(padding=3)(inputs)
    X = layers.Conv2D(32, 7, strides=1, name="conv0")(X)
    X = layers.BatchNormalization(axis=3, name="bn0")(X)
    X = layers.ReLU()(X)
    X = layers.MaxPooling2D(name="max_pool0")(X)
    X = layers.Flatten()(X)
    outputs = layers.Dense(1, activation="sigmoid", name="fc")(X)
    return keras.Model(inputs=inputs, outputs=outputs, name="happy_model_functional")


def convolutional_model(input_shape, kernel_initializer="he_uniform"):
    """The hand-sign classifier of section 1.5, built with the Functional API.

    Conv2D(8, 4x4, same) -> ReLU -> MaxPool(8x8, stride 8, same) -> Conv2D(16, 2x2, same)
    -> ReLU -> MaxPool(4x4, stride 4, same) -> Flatten -> Dense(6, softmax).

    Both convolutions start from He initialisation (``he_uniform``: variance 2 / fan-in, made
    for ReLU layers; He et al., 2015) rather than Keras's default Glorot: in the project's trials
    on SIGNS with mirrored images (Adam 3e-3, batch 64) Glorot needed about 70 epochs to reach
    the accuracy He reached in 55. This is the one change from the course's model, and part of
    the exercise of notebook 1.5.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H, n_W, n_C)``, e.g. ``(64, 64, 3)``.
    kernel_initializer : str or keras.initializers.Initializer, default "he_uniform"
        Of both convolutions; ``"glorot_uniform"`` gives the course's original model
        (``tools/check_signs_recipe.py`` trains that one).

    Returns
    -------
    keras.Model
        Input ``(None, n_H, n_W, n_C)``, output ``(None, 6)`` class probabilities.
        For 64x64x3 inputs: 1,310 parameters. Not compiled.
    """
    import keras
    from keras import layers

    input_img = keras.Input(shape=_validate.image_shape(input_shape))
    Z1 = layers.Conv2D(8, 4, strides=1, padding="same", kernel_initializer=kernel_initializer)(input_img)
    A1 = layers.ReLU()(Z1)
    P1 = layers.MaxPooling2D(pool_size=8, strides=8, padding="same")(A1)
    Z2 = layers.Conv2D(16, 2, strides=1, padding="same", kernel_initializer=kernel_initializer)(P1)
    A2 = layers.ReLU()(Z2)
    P2 = layers.MaxPooling2D(pool_size=4, strides=4, padding="same")(A2)
    F = layers.Flatten()(P2)
    outputs = layers.Dense(6, activation="softmax")(F)
    return keras.Model(inputs=input_img, outputs=outputs, name="convolutional_model")


def fully_connected_model(input_shape, n_classes: int = 6, hidden_units: int = 32):
    """A fully-connected baseline: Flatten -> Dense(hidden_units, relu) -> Dense(n_classes, softmax).

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_H, n_W, n_C)``.
    n_classes : int, default 6
    hidden_units : int, default 32

    Returns
    -------
    keras.Model
        Input ``(None, n_H, n_W, n_C)``, output ``(None, n_classes)``. For 64x64x3 inputs and
        the defaults: 393,446 parameters, 300 times more than :func:`convolutional_model`.
    """
    import keras
    from keras import layers

    n_classes = _validate.integer(n_classes, "n_classes", minimum=2)
    hidden_units = _validate.integer(hidden_units, "hidden_units", minimum=1)
    inputs = keras.Input(shape=_validate.image_shape(input_shape))
    hidden = layers.Dense(hidden_units, activation="relu")(layers.Flatten()(inputs))
    outputs = layers.Dense(n_classes, activation="softmax")(hidden)
    return keras.Model(inputs, outputs, name="fully_connected_model")


def preprocess_image(source, size=(64, 64)) -> np.ndarray:
    """Turn a picture into a batch of one image the models accept.

    The picture is converted to RGB (an alpha channel is laid over white, greyscale is
    repeated on three channels), cropped to the centred part with the target's aspect ratio,
    resized and scaled to 0..1 by :func:`course_utils.image_io.load_image`.

    Parameters
    ----------
    source : str, os.PathLike, PIL.Image.Image or numpy.ndarray
        An image file (PNG, JPEG, ...), an opened image, or an array of shape ``(H, W)``,
        ``(H, W, 1)``, ``(H, W, 3)`` or ``(H, W, 4)`` (uint8 0..255 or float 0..1).
    size : tuple of int, default (64, 64)
        ``(height, width)`` of the result.

    Returns
    -------
    numpy.ndarray
        float32, shape ``(1, height, width, 3)``, values in 0..1.
    """
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ValueError(f"size must be a tuple (height, width); got {size!r}")
    return image_io.load_image(source, size=tuple(size))


def predict_image(model, source, classes=None):
    """Run a model on one picture.

    Parameters
    ----------
    model : keras.Model
        A model with input ``(None, n_H, n_W, 3)`` and either one sigmoid output or a softmax
        over classes.
    source : str, os.PathLike, PIL.Image.Image or numpy.ndarray
        What :func:`preprocess_image` accepts.
    classes : sequence, optional
        Class names or values, indexed by the predicted class. Default: the class index.

    Returns
    -------
    label
        The predicted class (``classes[index]`` when given).
    probabilities : numpy.ndarray
        shape ``(n_classes,)``; for a single sigmoid output, ``[1 - p, p]``.
    """
    if not hasattr(model, "predict") or not hasattr(model, "input_shape"):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
    n_H, n_W = model.input_shape[1:3]
    batch = preprocess_image(source, size=(n_H, n_W))
    output = np.asarray(model.predict(batch, verbose=0))[0]
    probabilities = np.array([1 - output[0], output[0]]) if output.shape == (1,) else output
    index = int(np.argmax(probabilities))
    return (classes[index] if classes is not None else index), probabilities


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Count how often each true class was predicted as each class.

    Parameters
    ----------
    y_true, y_pred : array_like of int
        Class indices, shape ``(m,)`` or ``(1, m)``.
    n_classes : int

    Returns
    -------
    numpy.ndarray
        int64, shape ``(n_classes, n_classes)``; entry ``[i, j]`` counts true ``i`` predicted ``j``.
    """
    n_classes = _validate.integer(n_classes, "n_classes", minimum=1)
    y_true = _validate.as_numeric_array(y_true, "y_true").reshape(-1).astype(np.int64)
    y_pred = _validate.as_numeric_array(y_pred, "y_pred").reshape(-1).astype(np.int64)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_pred must have as many labels as y_true ({y_true.size}); got {y_pred.size}")
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values.size and (values.min() < 0 or values.max() >= n_classes):
            raise ValueError(f"{name} must hold class indices in 0..{n_classes - 1}; "
                             f"got {values.min()}..{values.max()}")
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def accuracy(model, X, labels, batch_size: int = 512) -> float:
    """The fraction of examples whose predicted class is their label, calling the model directly.

    ``model.evaluate`` compiles a test function the first time it runs on a model; for the many
    short-lived models of an experiment (notebooks 2.3, 2.4) that compilation costs more than the
    evaluation itself. This runs the model in inference mode, batch by batch, instead.

    Parameters
    ----------
    model : keras.Model
        With either one sigmoid output (class 1 when above 0.5) or a softmax over classes.
    X : numpy.ndarray, shape (m, ...)
        The model's inputs.
    labels : array_like of int, shape (m,) or (1, m)
        Class indices.
    batch_size : int, default 512

    Returns
    -------
    float
        In [0, 1].
    """
    if not callable(model) or not hasattr(model, "output_shape"):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
    labels = _validate.as_numeric_array(labels, "labels").reshape(-1)
    batch_size = _validate.integer(batch_size, "batch_size", minimum=1)
    if len(X) != len(labels) or len(labels) == 0:
        raise ValueError(f"labels must hold one class per example of X ({len(X)}); got {len(labels)}")
    outputs = np.concatenate([np.asarray(model(X[i:i + batch_size], training=False))
                              for i in range(0, len(X), batch_size)])
    predicted = (outputs[:, 0] > 0.5).astype(np.int64) if outputs.shape[1] == 1 else outputs.argmax(axis=1)
    return float(np.mean(predicted == labels))
