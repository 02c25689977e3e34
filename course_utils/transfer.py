"""Transfer learning with MobileNetV2 and data augmentation (section 2.7).

The course's functions (the exercises of notebook 2.7), with the course's names:

- :func:`data_augmenter`: random left-right flips and rotations, as Keras layers;
- :func:`alpaca_model`: a new binary head on a frozen, pretrained MobileNetV2;
- :func:`fine_tune`: unfreeze the base's top layers and recompile with a smaller learning rate.

Around them:

- :func:`load_mobilenet_base`: the pretrained base. By default the project's own weights
  (``data/mobilenet/``, trained by ``tools/train_mobilenet_base.py`` on the 43-class source task of
  :mod:`course_utils.synthetic.objects`); ``weights=None`` for a random start; ``"imagenet"`` for
  Keras's ImageNet weights (the only setting that downloads, and only when you ask for it).
- :func:`source_classifier`, :func:`load_source_classifier`: the base with the 43-class head it was
  trained with, to measure it on its own task.
- :func:`scratch_model`: the same network trained from a random start (the baseline).
- :func:`alpaca_datasets`: the course's ``image_dataset_from_directory`` pipeline on a folder of
  pictures; :func:`train_configuration`: one run of the experiment that notebook 2.7 and
  ``tools/measure_transfer.py`` measure (scratch, frozen, fine-tuned; with or without augmentation).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from course_utils import _validate, paths

__all__ = ["ALPHA", "IMG_SIZE", "BASE_NAME", "TRAIN_FOLDER_SEED", "TEST_FOLDER_SEED", "data_augmenter",
           "alpaca_model", "fine_tune", "load_mobilenet_base", "source_classifier", "load_source_classifier",
           "load_base_record", "scratch_model", "no_augmentation", "set_batch_norm_momentum", "alpaca_datasets",
           "accuracy", "count_trainable_layers", "CONFIGURATIONS", "train_configuration"]

#: Width multiplier of the project's MobileNetV2 (0.35: 410,208 parameters without the top).
ALPHA = 0.35
#: Height and width of the pictures (the course uses 160; 96 keeps CPU training short).
IMG_SIZE = (96, 96)
#: Name of the base inside the models built here: ``model.get_layer(BASE_NAME)`` finds it.
BASE_NAME = "mobilenet_base"
#: Seeds of the alpaca pictures of notebook 2.7: its training folder and its test folder.
TRAIN_FOLDER_SEED, TEST_FOLDER_SEED = 0, 1

_HOW = "python tools/train_mobilenet_base.py"


def _input_shape(image_shape, name="image_shape"):
    """``(n_H, n_W)`` or ``(n_H, n_W, 3)`` as ``(n_H, n_W, 3)``, at least 32 pixels a side."""
    if not isinstance(image_shape, (tuple, list)) or len(image_shape) not in (2, 3):
        raise ValueError(f"{name} must be a tuple (n_H, n_W) such as {IMG_SIZE}; got {image_shape!r}")
    shape = tuple(_validate.integer(n, f"{name}[{i}]", minimum=32) for i, n in enumerate(image_shape[:2]))
    if len(image_shape) == 3 and image_shape[2] != 3:
        raise ValueError(f"{name} must describe RGB pictures (3 channels); got {image_shape!r}")
    return (*shape, 3)


# ---------------------------------------------------------------------------------------------
# The pretrained base
# ---------------------------------------------------------------------------------------------

def load_mobilenet_base(input_shape=(*IMG_SIZE, 3), weights="shipped"):
    """MobileNetV2 (``alpha=0.35``) without its top, named :data:`BASE_NAME`.

    Parameters
    ----------
    input_shape : tuple of int, default (96, 96, 3)
        ``(n_H, n_W, 3)`` (or ``(n_H, n_W)``), at least 32 a side. The network is convolutional,
        so the shipped weights load for any size; they were trained at 96 x 96.
    weights : {"shipped", None, "imagenet"} or path, default "shipped"
        ``"shipped"``: the project's weights, :data:`course_utils.paths.MOBILENET_BASE_WEIGHTS`;
        ``None``: random initial weights (seed them with ``keras.utils.set_random_seed``);
        ``"imagenet"``: Keras's ImageNet weights, downloaded on first use (the only option that
        uses the network; square inputs of 96, 128, 160, 192 or 224 only); a path: a weights
        file written by ``base.save_weights``.

    Returns
    -------
    keras.Model
        Input ``(m, n_H, n_W, 3)`` scaled to [-1, 1] (``preprocess_input``), output
        ``(m, ceil(n_H / 32), ceil(n_W / 32), 1280)``; 154 layers, 410,208 parameters, trainable.
    """
    import keras

    shape = _input_shape(input_shape, "input_shape")
    if weights == "imagenet":
        return keras.applications.MobileNetV2(input_shape=shape, alpha=ALPHA, include_top=False, weights="imagenet",
                                              name=BASE_NAME)
    if weights is None:
        return keras.applications.MobileNetV2(input_shape=shape, alpha=ALPHA, include_top=False, weights=None,
                                              name=BASE_NAME)
    if weights == "shipped":
        weights = paths.MOBILENET_BASE_WEIGHTS
    elif not isinstance(weights, (str, Path)):
        raise TypeError(f"weights must be 'shipped', None, 'imagenet' or a path; got {type(weights).__name__}")
    path = paths.require(weights, "the MobileNetV2 base's weights", _HOW)
    base = keras.applications.MobileNetV2(input_shape=shape, alpha=ALPHA, include_top=False, weights=None,
                                          name=BASE_NAME)
    base.load_weights(path)
    return base


def source_classifier(base, classes):
    """The base with the head of its source task: pool, dropout, a softmax over ``classes``.

    Parameters
    ----------
    base : keras.Model
        From :func:`load_mobilenet_base`.
    classes : int
        Number of source classes (43 for :mod:`course_utils.synthetic.objects`).

    Returns
    -------
    keras.Model
        Input ``(m, n_H, n_W, 3)`` in 0..255 (it applies ``preprocess_input`` itself), output
        ``(m, classes)`` probabilities. The last layer is named ``"source_head"``.
    """
    import keras
    from keras import layers

    if not isinstance(base, keras.Model):
        raise TypeError(f"base must be a keras.Model; got {type(base).__name__}")
    classes = _validate.integer(classes, "classes", minimum=2)
    inputs = keras.Input(base.input_shape[1:])
    x = keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(classes, activation="softmax", name="source_head")(x)
    return keras.Model(inputs, outputs, name="source_classifier")


def load_base_record(path=None):
    """What ``tools/train_mobilenet_base.py`` recorded: settings, accuracies, time, command.

    Parameters
    ----------
    path : str or path-like, optional
        Default :data:`course_utils.paths.MOBILENET_RECORD`.

    Returns
    -------
    dict
    """
    path = paths.require(paths.MOBILENET_RECORD if path is None else path, "the MobileNetV2 base's record", _HOW)
    return json.loads(path.read_text())


def load_source_classifier(directory=None):
    """The shipped base with its source-task head, ready to classify the 43 source classes.

    Parameters
    ----------
    directory : str or path-like, optional
        Folder holding the base's weights and ``source_head.npz``; default
        :data:`course_utils.paths.MOBILENET_DIR`.

    Returns
    -------
    keras.Model
        See :func:`source_classifier`; not compiled.
    """
    directory = Path(paths.MOBILENET_DIR if directory is None else directory)
    base = load_mobilenet_base(weights=directory / paths.MOBILENET_BASE_WEIGHTS.name)
    head = np.load(paths.require(directory / paths.MOBILENET_HEAD_WEIGHTS.name, "the source task's head", _HOW))
    model = source_classifier(base, head["kernel"].shape[1])
    model.get_layer("source_head").set_weights([head["kernel"], head["bias"]])
    return model


# ---------------------------------------------------------------------------------------------
# The course's functions
# ---------------------------------------------------------------------------------------------

def data_augmenter():
    """Random left-right flips and rotations of up to 20 % of a full turn (72 degrees), as Keras layers.

    Returns
    -------
    keras.Sequential
        ``RandomFlip("horizontal")`` then ``RandomRotation(0.2)``: ``(m, n_H, n_W, 3)`` in and out;
        it changes the pictures only when called with ``training=True`` (as ``fit`` does).
    """
    import keras
    from keras import layers

    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2)], name="data_augmentation")


def no_augmentation():
    """A stand-in for :func:`data_augmenter` that leaves the pictures as they are.

    Returns
    -------
    keras.Sequential
        One ``Identity`` layer, so that models with and without augmentation have the same layers.
    """
    import keras
    from keras import layers

    return keras.Sequential([layers.Identity()], name="no_augmentation")


def alpaca_model(image_shape=IMG_SIZE, data_augmentation=None, base=None):
    """A binary classifier on a frozen, pretrained MobileNetV2 (the course's ``alpaca_model``).

    input -> ``data_augmentation`` -> ``preprocess_input`` (0..255 to -1..1) -> the frozen base,
    called with ``training=False`` -> ``GlobalAveragePooling2D`` -> ``Dropout(0.2)`` -> ``Dense(1)``.

    Parameters
    ----------
    image_shape : tuple of int, default (96, 96)
        ``(n_H, n_W)`` of the pictures.
    data_augmentation : keras layer, optional
        Default a new :func:`data_augmenter`.
    base : keras.Model, optional
        The pretrained base; default ``load_mobilenet_base(image_shape + (3,))`` (the shipped
        weights). It is frozen (``trainable = False``) here.

    Returns
    -------
    keras.Model
        Input ``(m, n_H, n_W, 3)`` in 0..255, output ``(m, 1)`` logits (positive: class 1,
        "not alpaca"). Not compiled.
    """
    import keras
    from keras import layers

    input_shape = _input_shape(image_shape)
    data_augmentation = data_augmenter() if data_augmentation is None else data_augmentation
    if not callable(data_augmentation):
        raise TypeError(f"data_augmentation must be a Keras layer or model; got {type(data_augmentation).__name__}")
    base = load_mobilenet_base(input_shape) if base is None else base
    if not isinstance(base, keras.Model):
        raise TypeError(f"base must be a keras.Model (see load_mobilenet_base); got {type(base).__name__}")
    base.trainable = False
    inputs = keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = keras.applications.mobilenet_v2.preprocess_input(x)
    # training=False: BatchNormalization keeps the statistics of the source task, even once
    # the base is unfrozen for fine-tuning.
    x = base(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


def fine_tune(model, fine_tune_at=120, base_learning_rate=0.001, freeze_batch_norm=True):
    """Unfreeze the base's layers from ``fine_tune_at`` on and recompile with a 10x smaller rate.

    The base's BatchNormalization layers stay frozen: in Keras 3 a frozen BatchNormalization layer
    runs in inference mode (it normalises with the statistics of the source task and leaves them
    unchanged), whereas the ``training=False`` given when the base was called in
    :func:`alpaca_model` is overridden by ``fit``'s ``training=True`` (Keras 3 passes the outer
    call's value to every layer of a Functional model).

    Parameters
    ----------
    model : keras.Model
        Built by :func:`alpaca_model` (its base is the layer named :data:`BASE_NAME`).
    fine_tune_at : int, default 120
        Index of the first base layer to train (of 154); the layers before it stay frozen.
    base_learning_rate : float, default 0.001
        The learning rate of the first, frozen training; fine-tuning uses a tenth of it.
    freeze_batch_norm : bool, default True
        False unfreezes the BatchNormalization layers too, as the course's code does (they then
        normalise with each batch's statistics and update their moving averages): for comparison.

    Returns
    -------
    keras.Model
        ``model`` itself, recompiled: Adam at ``0.1 * base_learning_rate``,
        ``BinaryCrossentropy(from_logits=True)``, accuracy.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model built by alpaca_model; got {type(model).__name__}")
    try:
        base = model.get_layer(BASE_NAME)
    except ValueError:
        raise ValueError(f"model has no layer named {BASE_NAME!r}: build it with alpaca_model") from None
    fine_tune_at = _validate.integer(fine_tune_at, "fine_tune_at", minimum=0)
    if fine_tune_at > len(base.layers):
        raise ValueError(f"fine_tune_at must be at most {len(base.layers)} (the base's layers); got {fine_tune_at}")
    if isinstance(base_learning_rate, bool) or not isinstance(base_learning_rate, (int, float)) \
            or not base_learning_rate > 0:
        raise ValueError(f"base_learning_rate must be a number > 0; got {base_learning_rate!r}")
    base.trainable = True
    for index, layer in enumerate(base.layers):
        if index < fine_tune_at or (freeze_batch_norm and isinstance(layer, keras.layers.BatchNormalization)):
            layer.trainable = False
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1 * base_learning_rate),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


# ---------------------------------------------------------------------------------------------
# The experiment: from scratch, frozen, fine-tuned
# ---------------------------------------------------------------------------------------------

def scratch_model(image_shape=IMG_SIZE, data_augmentation=None):
    """The network of :func:`alpaca_model` with a randomly initialised, trainable base.

    Its BatchNormalization layers learn their statistics during training (the base is called
    without ``training=False``), as any network trained from scratch must, with momentum 0.9
    (:func:`set_batch_norm_momentum`) so that their moving averages settle within the few
    hundred steps of a small data set. Seed it with ``keras.utils.set_random_seed`` first.

    Parameters
    ----------
    image_shape : tuple of int, default (96, 96)
    data_augmentation : keras layer, optional
        Default a new :func:`data_augmenter`.

    Returns
    -------
    keras.Model
        Input ``(m, n_H, n_W, 3)`` in 0..255, output ``(m, 1)`` logits. Not compiled.
    """
    import keras
    from keras import layers

    input_shape = _input_shape(image_shape)
    data_augmentation = data_augmenter() if data_augmentation is None else data_augmentation
    base = load_mobilenet_base(input_shape, weights=None)
    set_batch_norm_momentum(base, 0.9)
    inputs = keras.Input(shape=input_shape)
    x = keras.applications.mobilenet_v2.preprocess_input(data_augmentation(inputs))
    x = layers.GlobalAveragePooling2D()(base(x))
    outputs = layers.Dense(1)(layers.Dropout(0.2)(x))
    return keras.Model(inputs, outputs, name="scratch")


def set_batch_norm_momentum(model, momentum):
    """Set the momentum of every BatchNormalization layer inside ``model`` (nested models too).

    Keras's MobileNetV2 uses 0.999: its moving averages need thousands of steps to settle,
    more than a short training takes, and a network evaluated with unsettled averages scores
    near chance whatever it learned. Call this before ``compile``.

    Parameters
    ----------
    model : keras.Model
    momentum : float
        In [0, 1).

    Returns
    -------
    int
        How many layers were changed.
    """
    import keras

    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be a number in [0, 1); got {momentum!r}")
    found = [layer for layer in model._flatten_layers(include_self=False, recursive=True)
             if isinstance(layer, keras.layers.BatchNormalization)]
    for layer in found:
        layer.momentum = momentum
    return len(found)


def count_trainable_layers(model):
    """Layers of ``model``'s base (or of ``model``) that hold trainable weights.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    int
    """
    try:
        layers = model.get_layer(BASE_NAME).layers
    except ValueError:
        layers = model.layers
    return sum(1 for layer in layers if layer.trainable and layer.trainable_weights)


def alpaca_datasets(directory, image_size=IMG_SIZE, batch_size=32, validation_split=0.2, seed=42):
    """The course's pipeline: a folder of class sub-folders, split into training and validation.

    Parameters
    ----------
    directory : str or path-like
        One sub-folder per class (see :func:`course_utils.synthetic.animals.write_image_folder`).
    image_size : tuple of int, default (96, 96)
    batch_size : int, default 32
    validation_split : float or None, default 0.2
        None: the whole folder as one shuffled-once data set (e.g. a test set) and no validation.
    seed : int, default 42
        Seed of the shuffle that splits the folder.

    Returns
    -------
    train, validation : tf.data.Dataset
        Batches of ``(images (b, n_H, n_W, 3) float32 in 0..255, labels (b,) int32)``, cached
        in memory; ``validation`` is None when ``validation_split`` is None.
    """
    import keras

    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"directory {str(directory)!r} does not exist; "
                                "course_utils.synthetic.animals.write_image_folder writes one")
    options = dict(image_size=tuple(image_size), batch_size=batch_size, seed=seed, verbose=False)
    if validation_split is None:
        return keras.utils.image_dataset_from_directory(directory, shuffle=False, **options).cache(), None
    train, validation = keras.utils.image_dataset_from_directory(directory, shuffle=True, subset="both",
                                                                 validation_split=validation_split, **options)
    return train.cache(), validation.cache()


def accuracy(model, dataset):
    """Fraction of pictures whose logit has the sign of their label (class 1 when positive).

    Parameters
    ----------
    model : keras.Model
        Outputs ``(m, 1)`` logits.
    dataset : tf.data.Dataset
        Batches of ``(images, labels)``.

    Returns
    -------
    float
    """
    correct = total = 0
    for images, labels in dataset:
        predicted = (model(images, training=False).numpy()[:, 0] > 0).astype(int)
        correct += int(np.sum(predicted == labels.numpy()))
        total += len(predicted)
    return correct / total


#: The configurations of the experiment: how the base starts and trains, with or without augmentation;
#: the last one fine-tunes as the course's code does, with the BatchNormalization layers unfrozen.
CONFIGURATIONS = (*(f"{start}{suffix}" for start in ("scratch", "frozen", "fine-tuned")
                    for suffix in ("", " + augmentation")), "fine-tuned, BatchNorm unfrozen + augmentation")


def train_configuration(configuration, train, validation, test, seed=0, epochs=(5, 5), base_learning_rate=0.001,
                        fine_tune_at=120, scratch_learning_rate=0.001, image_size=IMG_SIZE, verbose=0):
    """Train one configuration of the experiment from a fresh start and measure it.

    - ``"scratch"``: :func:`scratch_model`, Adam at ``scratch_learning_rate``, ``sum(epochs)`` epochs;
    - ``"frozen"``: :func:`alpaca_model`, Adam at ``base_learning_rate``, ``sum(epochs)`` epochs;
    - ``"fine-tuned"``: :func:`alpaca_model` for ``epochs[0]`` epochs, then :func:`fine_tune` and
      ``epochs[1]`` more: the same number of passes over the data as the other two;
    - ``"fine-tuned, BatchNorm unfrozen"``: the same with ``fine_tune(..., freeze_batch_norm=False)``,
      the course's recipe.

    Each may end in ``" + augmentation"`` (:func:`data_augmenter`; else :func:`no_augmentation`).

    Parameters
    ----------
    configuration : str
        One of :data:`CONFIGURATIONS`.
    train, validation, test : tf.data.Dataset
        From :func:`alpaca_datasets`.
    seed : int, default 0
        Seeds the weights, the augmentation and dropout (``keras.utils.set_random_seed``).
    epochs : (int, int), default (5, 5)
    base_learning_rate, fine_tune_at, scratch_learning_rate : see :func:`fine_tune`
    image_size : tuple of int, default (96, 96)
    verbose : int, default 0
        Passed to ``fit``.

    Returns
    -------
    dict
        ``test_accuracy``, ``validation_accuracy`` (at the end), ``history`` (per epoch:
        ``accuracy``, ``val_accuracy``, ``loss``, ``val_loss``) and ``seconds``.
    """
    import keras

    if configuration not in CONFIGURATIONS:
        raise ValueError(f"configuration must be one of {CONFIGURATIONS}; got {configuration!r}")
    if not (isinstance(epochs, (tuple, list)) and len(epochs) == 2):
        raise ValueError(f"epochs must be a pair (before, after the unfreezing); got {epochs!r}")
    first, second = (_validate.integer(e, "epochs[i]", minimum=0) for e in epochs)
    keras.utils.set_random_seed(seed)
    augment = data_augmenter() if configuration.endswith("augmentation") else no_augmentation()
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    started = time.perf_counter()
    if configuration.startswith("scratch"):
        model = scratch_model(image_size, augment)
        model.compile(optimizer=keras.optimizers.Adam(scratch_learning_rate), loss=loss, metrics=["accuracy"])
        history = model.fit(train, validation_data=validation, epochs=first + second, verbose=verbose).history
    else:
        model = alpaca_model(image_size, augment)
        model.compile(optimizer=keras.optimizers.Adam(base_learning_rate), loss=loss, metrics=["accuracy"])
        later = second if configuration.startswith("frozen") else 0
        history = model.fit(train, validation_data=validation, epochs=first + later, verbose=verbose).history
        if configuration.startswith("fine-tuned") and second:
            fine_tune(model, fine_tune_at, base_learning_rate, freeze_batch_norm="BatchNorm" not in configuration)
            more = model.fit(train, validation_data=validation, epochs=first + second, initial_epoch=first,
                             verbose=verbose).history
            history = {key: history[key] + more[key] for key in history}
    history = {key: [round(float(v), 4) for v in values] for key, values in history.items()}
    return {"configuration": configuration, "seed": seed, "test_accuracy": round(accuracy(model, test), 4),
            "validation_accuracy": history.get("val_accuracy", [None])[-1], "history": history,
            "seconds": round(time.perf_counter() - started, 1)}
