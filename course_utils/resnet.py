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
           "load_signs_resnet", "layers_in_graph_order", "depth_in_layers", "transfer_weights", "random_uniform",
           "glorot_uniform", "RESNET50_MIN_SIZE"]

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


def _resnet50_last_size(n):
    """Height (or width) of the last stage's map for an input of ``n`` pixels (valid padding)."""
    n = (n + 6 - 7) // 2 + 1        # zero-pad 3, 7x7 convolution with stride 2
    n = (n - 3) // 2 + 1            # 3x3 max-pool with stride 2
    for _ in range(3):              # stages 3 to 5 open with a 1x1 convolution of stride 2
        n = (n - 1) // 2 + 1
    return n


#: The smallest height and width ResNet-50 accepts: the last stage's map must be at least 2 x 2
#: for the final 2x2 average pooling (valid padding, as in the course).
RESNET50_MIN_SIZE = next(n for n in range(1, 256) if _resnet50_last_size(n) >= 2)


def ResNet50(input_shape=(64, 64, 3), classes=6, training=None):  # noqa: N802 - the course's name
    """The 50-layer residual network, built from the two blocks.

    conv1: zero-pad 3, 7x7 conv (64, stride 2), BN, ReLU, 3x3 max-pool (stride 2); then four
    stages of 3, 4, 6 and 3 bottleneck blocks (the first of each a convolutional block, stride 1
    for stage 2 and 2 after); 2x2 average pooling (valid padding, the Keras default, as in the
    course), flatten, dense softmax.
    1 + 3 * (3 + 4 + 6 + 3) + 1 = 50 layers with weights (not counting the shortcut convolutions).

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
        ``(n_H, n_W, n_C)``; at least :data:`RESNET50_MIN_SIZE` (37) pixels high and wide, so
        that the last stage's map is at least 2 x 2 for the average pooling.
    classes : int, default 6
        Number of classes of the softmax.
    training : bool or None, default None
        Passed to BatchNormalization; None lets Keras use batch statistics in ``fit`` and
        moving averages in ``predict``/``evaluate``.

    Returns
    -------
    keras.Model
        Output shape ``(None, classes)``; on a 64 x 64 input the average pooling sees a 2 x 2 map.
    """
    sizes = _validate.image_shape(input_shape)
    if min(sizes[:2]) < RESNET50_MIN_SIZE:
        raise ValueError(f"input_shape must be at least {RESNET50_MIN_SIZE} x {RESNET50_MIN_SIZE}, so that the last "
                         f"stage's map is at least 2 x 2 for the average pooling; got {input_shape}")
    classes = _validate.integer(classes, "classes", minimum=1)

    inputs = keras.Input(tuple(sizes))
    X = layers.ZeroPadding2D(3)(inputs)
    X = _conv_bn(X, 64, 7, 2, "valid", training, glorot_uniform)
    X = layers.MaxPooling2D(3, strides=2)(X)
    for filters, blocks, stride in RESNET50_STAGES:
        X = convolutional_block(X, 3, filters, s=stride, training=training)
        for _ in range(blocks - 1):
            X = identity_block(X, 3, filters, training=training)
    X = layers.AveragePooling2D(2)(X)
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


def _blocks(identity, convolutional):
    """The block functions a network is built from: the given ones, or this module's."""
    for name, fn in (("identity_block", identity), ("convolutional_block", convolutional)):
        if fn is not None and not callable(fn):
            raise TypeError(f"{name} must be a function like course_utils.resnet.{name}; got {type(fn).__name__}")
    return (identity_block if identity is None else identity,
            convolutional_block if convolutional is None else convolutional)


def small_resnet(input_shape=(64, 64, 3), classes=6, stages=None, stem_filters=16, training=None,
                 name="small_resnet", identity_block=None, convolutional_block=None):
    """A small residual network for SIGNS, built from the same two blocks as ResNet-50.

    Stem: 5x5 conv (``stem_filters``, stride 2, same) -> BN -> ReLU -> 2x2 max-pool, so a 64x64
    image becomes 16x16. Then, per stage, one convolutional block followed by identity blocks;
    global average pooling and a dense softmax.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    classes : int, default 6
    stages : list of (filters, blocks, stride), optional
        Default :data:`SMALL_RESNET_STAGES`: two stages of two bottleneck blocks (14 layers with
        weights on the main path, 4 skip connections, about 56 thousand parameters).
    stem_filters : int, default 16
    training : bool or None, default None
        Passed to BatchNormalization (None: Keras decides, batch statistics in ``fit``).
    name : str, default "small_resnet"
    identity_block, convolutional_block : callable, optional
        The block functions to build it from, with the signatures of this module's (a learner's
        blocks, say); default this module's :func:`identity_block` and :func:`convolutional_block`.

    Returns
    -------
    keras.Model
        Not compiled.
    """
    identity, convolutional = _blocks(identity_block, convolutional_block)
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
        X = convolutional(X, 3, list(filters), s=stride, training=training)
        for _ in range(blocks - 1):
            X = identity(X, 3, list(filters), training=training)
    X = layers.GlobalAveragePooling2D()(X)
    outputs = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs, outputs, name=name)


def load_signs_resnet(path=None, identity_block=None, convolutional_block=None):
    """The small residual network of notebook 2.6 with its shipped SIGNS weights, and their record.

    The weights were written by ``tools/train_resnet_signs.py``; the record beside them holds the
    training settings, the test accuracy and a SHA-256 of the SIGNS arrays they were trained on.

    Parameters
    ----------
    path : str or path-like, optional
        A weights file of :func:`small_resnet`; default the shipped one,
        :data:`course_utils.paths.SIGNS_RESNET_WEIGHTS`.
    identity_block, convolutional_block : callable, optional
        Build the network from these blocks (a learner's) instead of this module's. The weights
        are read into the reference layout, then copied layer by layer with
        :func:`transfer_weights`, so the order in which the blocks create their layers does not
        matter; blocks with other layers or shapes than the reference's raise ``ValueError``.

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
    if identity_block is not None or convolutional_block is not None:
        theirs = small_resnet(identity_block=identity_block, convolutional_block=convolutional_block)
        transfer_weights(model, theirs)
        model = theirs
    return model, metadata


# --- Layers in an order fixed by the graph ----------------------------------------------------

def _producer(tensor):
    """The operation that computed a symbolic tensor, and the tensors it was called on."""
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        raise TypeError(f"expected a symbolic Keras tensor; got {type(tensor).__name__}")
    node = history.operation._inbound_nodes[history.node_index]
    return history.operation, list(node.input_tensors)


def _output_of(model_or_tensor, name="model_or_tensor"):
    if isinstance(model_or_tensor, keras.Model):
        return model_or_tensor.outputs[0]
    if isinstance(model_or_tensor, keras.KerasTensor):
        return model_or_tensor
    raise TypeError(f"{name} must be a keras.Model or a symbolic Keras tensor (the output of layers called on "
                    f"keras.Input); got {type(model_or_tensor).__name__}")


def _longest_paths(output, counts=lambda operation: 1):
    """For each operation behind ``output`` (by id): the largest sum of ``counts`` on a path from the input to it."""
    length, stack = {}, [output]
    while stack:  # without recursion: ResNet-152 is deeper than Python's recursion limit allows
        operation, inputs = _producer(stack[-1])
        waiting = [t for t in inputs if id(_producer(t)[0]) not in length]
        if waiting:
            stack.extend(waiting)
            continue
        stack.pop()
        length[id(operation)] = counts(operation) + max((length[id(_producer(t)[0])] for t in inputs), default=0)
    return length


def depth_in_layers(model):
    """The L of "ResNet-L": convolution and dense layers on the longest path from input to output.

    Shortcut convolutions lie on a shorter path and are not counted, nor are BatchNormalization,
    activation, pooling and addition layers.

    Parameters
    ----------
    model : keras.Model
        A functional model.

    Returns
    -------
    int
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}")
    output = model.outputs[0]
    with_kernel = (layers.Conv1D, layers.Conv2D, layers.Conv3D, layers.Dense)
    lengths = _longest_paths(output, lambda operation: int(isinstance(operation, with_kernel)))
    return lengths[id(_producer(output)[0])]


def layers_in_graph_order(model_or_tensor):
    """The layers of a functional graph in an order that depends on the graph alone.

    Keras lists a model's layers by their distance to the output, breaking ties by the order of
    an ``Add``'s inputs: a block written ``Add()([X, X_shortcut])`` and one written
    ``Add()([X_shortcut, X])`` compute the same thing but list their shortcut convolution at
    different places. Here the graph is walked from the output, inputs before the layers that
    use them, and at a layer with several inputs the longer path (the main path) comes before
    the shorter one (the shortcut), so two networks with the same graph list the same layers in
    the same order, however their code created them.

    Parameters
    ----------
    model_or_tensor : keras.Model or symbolic Keras tensor
        A functional model (its first output is followed), or the output of layers called on a
        ``keras.Input``.

    Returns
    -------
    list of keras.layers.Layer
        The ``InputLayer`` first and the output's layer last; operations that are not layers
        (``keras.ops`` on symbolic tensors) are walked through but not listed.
    """
    output = _output_of(model_or_tensor)
    depth = _longest_paths(output)
    # depth first from the output, inputs before the operation that uses them
    ordered, seen, stack = [], set(), [(output, False)]
    while stack:
        tensor, inputs_done = stack.pop()
        operation, inputs = _producer(tensor)
        if id(operation) in seen:
            continue
        if inputs_done:
            seen.add(id(operation))
            ordered.append(operation)
            continue
        stack.append((tensor, True))
        # the longest path is pushed last, so it is walked first
        stack.extend((t, False) for t in sorted(inputs, key=lambda t: depth[id(_producer(t)[0])]))
    return [operation for operation in ordered if isinstance(operation, layers.Layer)]


def transfer_weights(source, target):
    """Copy the weights of ``source`` into ``target``, layer by layer in graph order.

    Parameters
    ----------
    source, target : keras.Model
        Two networks with the same graph (e.g. :func:`small_resnet` built from the reference
        blocks and from a learner's), matched by :func:`layers_in_graph_order`, not by the order
        in which their layers were created.

    Returns
    -------
    int
        The number of layers whose weights were copied.

    Raises
    ------
    ValueError
        When the two networks do not have the same layers with weights of the same shapes; the
        message names the first layer that differs.
    """
    for name, model in (("source", source), ("target", target)):
        if not isinstance(model, keras.Model):
            raise TypeError(f"{name} must be a keras.Model; got {type(model).__name__}")
    theirs = [layer for layer in layers_in_graph_order(source) if layer.weights]
    ours = [layer for layer in layers_in_graph_order(target) if layer.weights]
    for number, (a, b) in enumerate(zip(theirs, ours, strict=False)):
        shapes_a = [tuple(w.shape) for w in a.weights]
        shapes_b = [tuple(w.shape) for w in b.weights]
        if type(a) is not type(b) or shapes_a != shapes_b:
            raise ValueError(f"target does not fit the weights of source: its layer {number} with weights is "
                             f"{type(b).__name__} with weights of shapes {shapes_b}; expected {type(a).__name__} "
                             f"with {shapes_a}")
    if len(theirs) != len(ours):
        raise ValueError(f"target has {len(ours)} layers with weights; source has {len(theirs)}")
    for a, b in zip(theirs, ours, strict=True):
        b.set_weights(a.get_weights())
    return len(ours)
