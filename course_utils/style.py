"""Neural style transfer (sections 4.5 and 4.7): the costs, a VGG19 feature extractor, the loop.

The cost functions and :func:`train_step` follow the course's programming assignment and are
written with TensorFlow operations only, so they run eagerly and inside ``tf.function``. The
feature extractor is the VGG19 architecture of ``keras.applications`` whose weights are chosen
explicitly (:func:`vgg19_features`):

- ``"random"`` (default, offline): untrained Gaussian weights, rescaled layer by layer so
  that every layer's activations have unit root-mean-square on a calibration image, in the
  spirit of He, Wang & Hopcroft, "A Powerful Generative Model Using Random Weights for the
  Deep Image Representation" (NeurIPS 2016). Nothing is downloaded.
- ``"imagenet"``: Keras's pretrained weights, from its cache or from the network. This is
  the only choice that may download anything, and only because the caller asked for it.
- a path to a weights file saved from the same architecture (``.weights.h5`` or ``.h5``).

Its pooling layers average by default, as in Gatys, Ecker & Bethge (CVPR 2016): the gradient
of an average reaches all four pixels of a window, that of a maximum only one, and with
random weights that difference is what separates painted strokes from pixel noise.

:func:`generate` runs the optimisation: a generated image starts from the content image,
a ``train_step`` (the library's, or a learner's with the same signature) updates its pixels
with Adam and clips them to ``[0, 1]``, a progress line shows the cost, and the costs,
snapshots and the final image are kept.

TensorFlow is imported when this module is imported: call
``course_utils.notebook.setup(tensorflow=True)`` first to keep its logs quiet.
"""

from __future__ import annotations

import numbers
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

from course_utils import _validate

__all__ = [
    "STYLE_LAYERS", "CONTENT_LAYER", "COST_NAMES",
    "compute_content_cost", "gram_matrix", "layer_gram", "compute_layer_style_cost", "compute_style_cost",
    "total_cost", "make_train_step", "train_step", "FeatureExtractor", "preprocess", "vgg19_features",
    "speckle", "colour_difference", "GenerationResult", "generate",
]

#: The course's choice: the first convolution of each of VGG19's five blocks, 0.2 each.
STYLE_LAYERS = [("block1_conv1", 0.2), ("block2_conv1", 0.2), ("block3_conv1", 0.2),
                ("block4_conv1", 0.2), ("block5_conv1", 0.2)]
#: Layer whose activations define the content. The course uses ``block5_conv4`` with trained
#: weights; with random weights a middle layer keeps the shapes of the photo better.
CONTENT_LAYER = "block4_conv2"

#: The cost functions a generation can take from a learner (see :func:`make_train_step`).
COST_NAMES = ("compute_content_cost", "compute_layer_style_cost", "compute_style_cost", "total_cost")

#: A tensor, or anything ``tf.convert_to_tensor`` accepts (numpy arrays, nested lists, numbers).
TensorLike = Any

# Keras's VGG19 expects BGR pixels in 0..255 with the ImageNet mean removed ("caffe" mode).
_IMAGENET_MEAN_BGR = (103.939, 116.779, 123.68)


# ----------------------------------------------------------------------------------------
# Argument checks (TensorFlow-aware versions of course_utils._validate)


def _as_tensor(value, name, rank, layout):
    """``value`` as a floating tensor of the given rank, or a TypeError/ValueError naming it."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a tensor or array of shape {layout}; got {type(value).__name__}")
    if not tf.is_tensor(value):
        try:
            value = tf.convert_to_tensor(np.asarray(value))
        except Exception as exc:
            raise TypeError(f"{name} must be a tensor or array of shape {layout}; could not convert "
                            f"{type(value).__name__}: {exc}") from None
    if value.dtype.is_integer:
        value = tf.cast(value, tf.float32)
    if not value.dtype.is_floating:
        raise TypeError(f"{name} must hold real numbers; got dtype {value.dtype.name}")
    if value.shape.rank is not None and value.shape.rank != rank:
        raise ValueError(f"{name} must be a {rank}-D tensor of shape {layout}; "
                         f"got shape {tuple(value.shape)}")
    return value


def _same_shape(a, b, name_a, name_b):
    """Raise a ValueError when two tensors' static shapes are known to differ."""
    if a.shape.is_fully_defined() and b.shape.is_fully_defined():
        if a.shape != b.shape:
            raise ValueError(f"{name_a} and {name_b} must have the same shape; "
                             f"got {tuple(a.shape)} and {tuple(b.shape)}")
        return b
    tf.debugging.assert_equal(tf.shape(a), tf.shape(b),
                              message=f"{name_a} and {name_b} must have the same shape")
    return b


def _single_example(a, name):
    if a.shape[0] is not None and a.shape[0] != 1:
        raise ValueError(f"{name} must hold the activations of one image, shape (1, n_H, n_W, n_C); "
                         f"got shape {tuple(a.shape)}")


def _non_negative(value, name):
    if tf.is_tensor(value):
        return value  # a traced value cannot be checked in Python
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite real number; got {value!r} ({type(value).__name__})")
    if value < 0:
        raise ValueError(f"{name} must be >= 0; got {value}")
    return value


def _layer_weights(style_layers):
    """Validate ``[(layer_name, weight), ...]``; return the names and weights."""
    if isinstance(style_layers, (str, bytes)) or not isinstance(style_layers, (list, tuple)) or not style_layers:
        raise TypeError("style_layers must be a non-empty list of (layer_name, weight) pairs; "
                        f"got {style_layers!r}"[:200])
    names, weights = [], []
    for item in style_layers:
        if not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[0], str):
            raise TypeError(f"style_layers must hold (layer_name, weight) pairs; got the item {item!r}")
        name, weight = item
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not np.isfinite(weight):
            raise TypeError(f"the weight of style layer {name!r} must be a real number; got {weight!r}")
        if weight <= 0:
            raise ValueError(f"the weight of style layer {name!r} must be > 0 (leave the layer out "
                             f"instead); got {weight}")
        names.append(name)
        weights.append(float(weight))
    return names, weights


# ----------------------------------------------------------------------------------------
# The costs


def compute_content_cost(a_C: TensorLike, a_G: TensorLike) -> tf.Tensor:
    """Content cost: how far the generated image's activations are from the content image's.

    ``J_content = sum((a_C - a_G)**2) / (4 * n_H * n_W * n_C)``

    Parameters
    ----------
    a_C : tf.Tensor or array_like, shape (1, n_H, n_W, n_C)
        Activations of the content layer for the content image.
    a_G : tf.Tensor or array_like, shape (1, n_H, n_W, n_C)
        The same layer's activations for the generated image.

    Returns
    -------
    tf.Tensor, shape ()
        The cost, in the dtype of ``a_C``.
    """
    a_C = _as_tensor(a_C, "a_C", 4, "(1, n_H, n_W, n_C)")
    a_G = _as_tensor(a_G, "a_G", 4, "(1, n_H, n_W, n_C)")
    _single_example(a_C, "a_C")
    a_G = tf.cast(_same_shape(a_C, a_G, "a_C", "a_G"), a_C.dtype)
    n_elements = tf.cast(tf.size(a_C), a_C.dtype)  # n_H * n_W * n_C, since m = 1
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_elements)


def gram_matrix(A: TensorLike) -> tf.Tensor:
    """Gram matrix ``A Aᵀ``: the inner products of every pair of rows (channels).

    Parameters
    ----------
    A : tf.Tensor or array_like, shape (n_C, n_H * n_W)
        One row per channel, the channel's activations unrolled.

    Returns
    -------
    tf.Tensor, shape (n_C, n_C)
        ``G[i, j] = sum_k A[i, k] * A[j, k]``; symmetric, with the channels' squared norms
        on the diagonal.
    """
    A = _as_tensor(A, "A", 2, "(n_C, n_H*n_W)")
    return tf.matmul(A, A, transpose_b=True)


def _unrolled(a):
    """``(1, n_H, n_W, n_C)`` activations as the ``(n_C, n_H*n_W)`` matrix of the Gram matrix."""
    n_C = tf.shape(a)[-1]
    return tf.transpose(tf.reshape(a, [-1, n_C]))


def layer_gram(a: TensorLike, normalize: bool = True) -> tf.Tensor:
    """Gram matrix of one layer's activations: which channels fire together, wherever they fire.

    The activations are unrolled to the ``(n_C, n_H*n_W)`` matrix of :func:`gram_matrix`
    (one row per channel), so every spatial position counts once and *where* it lies is
    forgotten: permuting the positions leaves the result unchanged.

    Parameters
    ----------
    a : tf.Tensor or array_like, shape (1, n_H, n_W, n_C)
        One image's activations at one layer.
    normalize : bool, default True
        Divide by ``n_H * n_W``, the number of positions: ``G[i, j]`` is then the mean over
        positions of ``a[..., i] * a[..., j]``, comparable between images of different sizes.
        With normalised Gram matrices the layer style cost is
        ``sum((G_S - G_G)**2) / (4 * n_C**2)``.

    Returns
    -------
    tf.Tensor, shape (n_C, n_C)
        Symmetric, in the dtype of ``a``.
    """
    a = _as_tensor(a, "a", 4, "(1, n_H, n_W, n_C)")
    _single_example(a, "a")
    if not isinstance(normalize, (bool, np.bool_)):
        raise TypeError(f"normalize must be True or False; got {normalize!r}")
    G = gram_matrix(_unrolled(a))
    if normalize:
        shape = tf.cast(tf.shape(a), a.dtype)
        G = G / (shape[1] * shape[2])
    return G


def compute_layer_style_cost(a_S: TensorLike, a_G: TensorLike) -> tf.Tensor:
    """Style cost of one layer: the squared distance between the two Gram matrices.

    ``J = sum((G_S - G_G)**2) / (4 * n_C**2 * (n_H * n_W)**2)``

    Parameters
    ----------
    a_S : tf.Tensor or array_like, shape (1, n_H, n_W, n_C)
        The layer's activations for the style image.
    a_G : tf.Tensor or array_like, shape (1, n_H, n_W, n_C)
        The same layer's activations for the generated image.

    Returns
    -------
    tf.Tensor, shape ()
    """
    a_S = _as_tensor(a_S, "a_S", 4, "(1, n_H, n_W, n_C)")
    a_G = _as_tensor(a_G, "a_G", 4, "(1, n_H, n_W, n_C)")
    _single_example(a_S, "a_S")
    a_G = tf.cast(_same_shape(a_S, a_G, "a_S", "a_G"), a_S.dtype)
    shape = tf.cast(tf.shape(a_S), a_S.dtype)
    n_H, n_W, n_C = shape[1], shape[2], shape[3]
    G_S = gram_matrix(_unrolled(a_S))
    G_G = gram_matrix(_unrolled(a_G))
    return tf.reduce_sum(tf.square(G_S - G_G)) / (4.0 * n_C ** 2 * (n_H * n_W) ** 2)


def compute_style_cost(style_outputs: Sequence[TensorLike], generated_outputs: Sequence[TensorLike],
                       style_layers: Sequence[tuple[str, float]] = STYLE_LAYERS) -> tf.Tensor:
    """Style cost over several layers: ``sum_l weight_l * J_style(layer l)``.

    Parameters
    ----------
    style_outputs : list of tf.Tensor, each shape (1, n_H_l, n_W_l, n_C_l)
        The style image's activations, one per entry of ``style_layers`` (in that order).
    generated_outputs : list of tf.Tensor
        The generated image's activations at the same layers, same shapes.
    style_layers : list of (str, float), default :data:`STYLE_LAYERS`
        ``(layer_name, weight)`` pairs; the weights must be > 0.

    Returns
    -------
    tf.Tensor, shape ()
    """
    return _weighted_style_cost(style_outputs, generated_outputs, style_layers, compute_layer_style_cost)


def _weighted_style_cost(style_outputs, generated_outputs, style_layers, layer_cost):
    """:func:`compute_style_cost` with any layer cost ``(a_S, a_G) -> J`` (a learner's, in the notebooks)."""
    names, weights = _layer_weights(style_layers)
    for argument, outputs in (("style_outputs", style_outputs), ("generated_outputs", generated_outputs)):
        if not isinstance(outputs, (list, tuple)):
            raise TypeError(f"{argument} must be a list of activations, one per style layer; "
                            f"got {type(outputs).__name__}")
        if len(outputs) != len(names):
            raise ValueError(f"{argument} must hold one activation per style layer ({len(names)}: "
                             f"{names}); got {len(outputs)}")
    J_style = 0.0
    for name, weight, a_S, a_G in zip(names, weights, style_outputs, generated_outputs, strict=True):
        try:
            J_layer = layer_cost(a_S, a_G)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"style layer {name!r}: {exc}") from None
        J_style += weight * J_layer
    return J_style


def total_cost(J_content: TensorLike, J_style: TensorLike, alpha: float = 10, beta: float = 40) -> TensorLike:
    """Total cost ``alpha * J_content + beta * J_style``.

    Parameters
    ----------
    J_content, J_style : tf.Tensor or float, shape ()
        The two costs.
    alpha, beta : float, default 10 and 40
        Their weights, >= 0.

    Returns
    -------
    tf.Tensor or float, shape ()
    """
    alpha = _non_negative(alpha, "alpha")
    beta = _non_negative(beta, "beta")
    return alpha * J_content + beta * J_style


# ----------------------------------------------------------------------------------------
# One step of the optimisation


def _cost_functions(costs: Mapping[str, Callable] | None) -> dict[str, Callable]:
    """The library's cost functions, with those named in ``costs`` replaced (a learner's)."""
    chosen = {"compute_content_cost": compute_content_cost, "compute_layer_style_cost": compute_layer_style_cost,
              "compute_style_cost": None, "total_cost": total_cost}
    if costs is None:
        costs = {}
    if not isinstance(costs, Mapping):
        raise TypeError(f"costs must be a dict of cost functions by name {list(COST_NAMES)}; got "
                        f"{type(costs).__name__}")
    for name, function in costs.items():
        if name not in COST_NAMES:
            raise ValueError(f"costs may only name {list(COST_NAMES)}; got {name!r}")
        if not callable(function):
            raise TypeError(f"costs[{name!r}] must be a function; got {type(function).__name__}")
        chosen[name] = function
    if chosen["compute_style_cost"] is None:  # the weighted sum over layers of the chosen layer cost
        layer_cost = chosen["compute_layer_style_cost"]
        chosen["compute_style_cost"] = lambda a_S, a_G, layers: _weighted_style_cost(a_S, a_G, layers, layer_cost)
    return chosen


def make_train_step(costs: Mapping[str, Callable] | None = None) -> Callable:
    """A :func:`train_step` that uses the given cost functions (a learner's) instead of the library's.

    Parameters
    ----------
    costs : dict of str to callable, optional
        Keys among :data:`COST_NAMES`, each a function with the signature of the library's
        function of that name. A ``compute_layer_style_cost`` given without a
        ``compute_style_cost`` is summed over the layers with their weights.

    Returns
    -------
    callable
        A ``tf.function`` with the signature and behaviour of :func:`train_step`.
    """
    functions = _cost_functions(costs)

    @tf.function
    def train_step(generated_image: tf.Variable, extractor: FeatureExtractor, a_C: TensorLike,
                   a_S: Sequence[TensorLike], optimizer: Any, alpha: float = 10, beta: float = 40) -> tf.Tensor:
        """One update of the generated image: cost, gradient with respect to the pixels, Adam step, clipping.

        Parameters
        ----------
        generated_image : tf.Variable, shape (1, n_H, n_W, 3)
            The pixels being optimised, in ``[0, 1]``; updated in place.
        extractor : FeatureExtractor
            Returns ``[a_style_1, ..., a_style_L, a_content]`` for an image; its ``style_layers``
            give the layers' weights.
        a_C : tf.Tensor, shape (1, n_H_c, n_W_c, n_C_c)
            The content image's activations at the content layer (``extractor(C)[-1]``).
        a_S : list of tf.Tensor
            The style image's activations at the style layers (``extractor(S)[:-1]``).
        optimizer : keras.optimizers.Optimizer
            Built for ``[generated_image]`` (``optimizer.build([generated_image])``) before the
            first call.
        alpha, beta : float, default 10 and 40
            Weights of the content and style costs.

        Returns
        -------
        tf.Tensor, shape ()
            The total cost ``alpha * J_content + beta * J_style`` of the image before the update.
        """
        if not isinstance(generated_image, tf.Variable):
            raise TypeError("generated_image must be a tf.Variable (the pixels the optimizer updates); got "
                            f"{type(generated_image).__name__}")
        with tf.GradientTape() as tape:
            J = _costs_of(functions, extractor(generated_image), a_C, a_S, extractor.style_layers, alpha, beta)[0]
        optimizer.apply_gradients([(tape.gradient(J, generated_image), generated_image)])
        generated_image.assign(tf.clip_by_value(generated_image, 0.0, 1.0))
        return J

    return train_step


def _costs_of(functions, outputs, a_C, a_S, style_layers, alpha, beta):
    """``(J, J_content, J_style)`` of an image's activations ``outputs`` against the targets."""
    J_content = functions["compute_content_cost"](a_C, outputs[-1])
    J_style = functions["compute_style_cost"](a_S, list(outputs[:-1]), style_layers)
    return functions["total_cost"](J_content, J_style, alpha, beta), J_content, J_style


#: The reference ``train_step`` of the course's assignment, with the library's costs.
train_step = make_train_step()
_LIBRARY_TRAIN_STEP = train_step  # generate's argument of the same name hides it there


# ----------------------------------------------------------------------------------------
# The feature extractor


@dataclass(eq=False)  # compared and hashed by identity, as tf.function needs for its arguments
class FeatureExtractor:
    """VGG19 activations at the style layers and the content layer.

    Call it on images of shape ``(1, n_H, n_W, 3)`` with values in ``[0, 1]``; it returns the
    list ``[a_style_1, ..., a_style_L, a_content]`` (the preprocessing Keras's VGG19
    expects is done inside).

    Attributes
    ----------
    model : keras.Model
        Takes preprocessed images, returns the activations.
    style_layers : list of (str, float)
    content_layer : str
    weights : str
        Which weights it holds, in words (printed by the notebooks).
    """

    model: Any
    style_layers: list
    content_layer: str
    weights: str

    def __call__(self, images: TensorLike) -> list:
        return self.model(preprocess(images))

    @property
    def style_layer_names(self) -> list[str]:
        return [name for name, _ in self.style_layers]

    def select(self, style_layers: Sequence[tuple[str, float]]) -> FeatureExtractor:
        """The same network with a subset of the style layers, reweighted (shares the weights).

        Parameters
        ----------
        style_layers : list of (str, float)
            Layers among :attr:`style_layers`, with their new weights.

        Returns
        -------
        FeatureExtractor
        """
        import keras

        names, _ = _layer_weights(style_layers)
        unknown = [n for n in names if n not in self.style_layer_names]
        if unknown:
            raise ValueError(f"style_layers {unknown} are not among the extractor's style layers "
                             f"{self.style_layer_names}")
        outputs = [self.model.outputs[self.style_layer_names.index(n)] for n in names] + [self.model.outputs[-1]]
        model = keras.Model(self.model.inputs, outputs, name=self.model.name)
        return FeatureExtractor(model, list(style_layers), self.content_layer, self.weights)


def preprocess(images: TensorLike) -> tf.Tensor:
    """Images in ``[0, 1]`` to the input of Keras's VGG19: BGR, 0..255, ImageNet mean removed.

    Parameters
    ----------
    images : tf.Tensor, shape (m, n_H, n_W, 3)

    Returns
    -------
    tf.Tensor, shape (m, n_H, n_W, 3), float32
    """
    images = tf.cast(images, tf.float32)
    return images[..., ::-1] * 255.0 - tf.constant(_IMAGENET_MEAN_BGR, tf.float32)


def vgg19_features(weights: str | os.PathLike = "random", style_layers: Sequence[tuple[str, float]] = STYLE_LAYERS,
                   content_layer: str = CONTENT_LAYER, calibration_image: TensorLike | None = None, seed: int = 0,
                   pooling: str = "average") -> FeatureExtractor:
    """Build the VGG19 feature extractor with explicitly chosen weights.

    Parameters
    ----------
    weights : {"random", "imagenet"} or path-like, default "random"
        ``"random"``: untrained, offline, rescaled layer by layer (see Notes).
        ``"imagenet"``: Keras's pretrained weights (its cache, else a download: the only
        case in which anything is downloaded). A path: a weights file saved from the
        convolutional part of VGG19 (``model.save_weights`` of
        ``keras.applications.VGG19(include_top=False)``).
    style_layers : list of (str, float), default :data:`STYLE_LAYERS`
        VGG19 layer names (``"block1_conv1"`` ...) and their weights.
    content_layer : str, default :data:`CONTENT_LAYER`
    calibration_image : array_like, shape (1, n_H, n_W, 3) or (n_H, n_W, 3), optional
        Image in ``[0, 1]`` used to rescale the random weights; default: the cat photo of
        ``skimage.data.chelsea`` at 96x96. Ignored for other weights.
    seed : int, default 0
        Seed of the random weights.
    pooling : {"average", "max"}, default "average"
        The five pooling layers: averages (Gatys et al.'s choice for image synthesis, see the
        module's docstring) or Keras's maxima.

    Returns
    -------
    FeatureExtractor

    Notes
    -----
    Random weights: every convolution kernel is drawn from ``N(0, 2 / fan_in)`` (He
    initialisation) and its bias set to zero. Biases at zero make every layer positively
    homogeneous (ReLU, pooling), so multiplying a kernel by ``c`` multiplies that layer's
    and every later layer's activations by ``c``. One forward pass on the calibration image
    measures each layer's root-mean-square activation ``r_k``; kernel ``k`` is then multiplied
    by ``r_{k-1} / r_k`` so that every layer's activations have RMS 1. The Gram matrices of
    all layers are then of the same order, so equal style-layer weights mean equal
    influence: the role of the automatic normalisation of the layer weighting factors in
    He, Wang & Hopcroft (2016).
    """
    names, _ = _layer_weights(style_layers)
    if not isinstance(content_layer, str):
        raise TypeError(f"content_layer must be a VGG19 layer name such as 'block4_conv2'; got {content_layer!r}")
    if pooling not in ("average", "max"):
        raise ValueError(f'pooling must be "average" or "max"; got {pooling!r}')
    source, description = _weights_source(weights, seed)
    base = _vgg19(source if source == "imagenet" else None, pooling)
    available = [layer.name for layer in base.layers]
    for name in [*names, content_layer]:
        if name not in available:
            conv_names = [n for n in available if "conv" in n]
            raise ValueError(f"layer {name!r} is not a VGG19 layer; choose from {conv_names}")
    if isinstance(source, Path):
        try:
            base.load_weights(str(source))
        except Exception as exc:
            raise ValueError(f"weights file {str(source)!r} could not be loaded into VGG19's convolutional "
                             f"layers: {type(exc).__name__}: {exc}") from None
    elif source == "random":
        _randomise(base, _calibration(calibration_image), seed)
    return _extractor(base, style_layers, content_layer, f"{description}, {pooling} pooling")


def _weights_source(weights, seed):
    """``("imagenet" | "random" | Path, description)`` for the ``weights`` argument."""
    if weights is None:
        raise ValueError('weights must be "random", "imagenet" or a path to a weights file; got None '
                         '(an untrained network without rescaling is not a useful feature extractor)')
    if isinstance(weights, str) and weights == "imagenet":
        return "imagenet", "ImageNet-trained VGG19 (Keras)"
    if isinstance(weights, str) and weights == "random":
        return "random", f"random VGG19 weights, rescaled layer by layer (seed {seed}), offline"
    if isinstance(weights, (str, os.PathLike)):
        path = Path(weights)
        if not path.is_file():
            raise FileNotFoundError(f'weights must be "random", "imagenet" or the path of an existing weights '
                                    f"file; the file {str(path)!r} does not exist")
        return path, f"VGG19 weights from {path}"
    raise TypeError(f'weights must be "random", "imagenet" or a path; got {type(weights).__name__}')


def _vgg19(keras_weights, pooling):
    """Keras's convolutional VGG19, its max-pooling layers swapped for averages when asked."""
    import keras

    base = keras.applications.VGG19(include_top=False, weights=keras_weights, input_shape=(None, None, 3))
    if pooling == "max":
        return base

    def average_pooling(layer):
        if isinstance(layer, keras.layers.MaxPooling2D):
            return keras.layers.AveragePooling2D(layer.pool_size, layer.strides, name=layer.name)
        return layer.__class__.from_config(layer.get_config())

    averaged = keras.models.clone_model(base, clone_function=average_pooling)
    averaged.set_weights(base.get_weights())
    return averaged


def _extractor(base, style_layers, content_layer, description):
    import keras

    base.trainable = False
    outputs = [base.get_layer(name).output for name in [*_layer_weights(style_layers)[0], content_layer]]
    model = keras.Model(base.input, outputs, name="vgg19_features")
    model.trainable = False
    return FeatureExtractor(model, list(style_layers), content_layer, description)


def _calibration(image):
    from course_utils import image_io

    if image is None:
        return image_io.sample_photo("chelsea", size=96)
    return image_io.as_batch(image, "calibration_image")


def _randomise(base, calibration, seed):
    """He-normal kernels, zero biases, then the layer-by-layer RMS normalisation."""
    import keras

    rng = np.random.default_rng(seed)
    convs = [layer for layer in base.layers if isinstance(layer, keras.layers.Conv2D)]
    for layer in convs:
        kernel, bias = layer.get_weights()
        fan_in = np.prod(kernel.shape[:3])
        layer.set_weights([rng.normal(0.0, np.sqrt(2.0 / fan_in), kernel.shape).astype(np.float32),
                           np.zeros_like(bias)])
    probe = keras.Model(base.input, [layer.output for layer in convs])
    activations = probe(preprocess(calibration))
    rms = [float(tf.sqrt(tf.reduce_mean(tf.square(a)))) for a in activations]
    previous = 1.0
    for layer, r in zip(convs, rms, strict=True):
        if not r > 0:
            raise ValueError(f"layer {layer.name} gives only zeros on the calibration image; "
                             "use another calibration_image or seed")
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel * np.float32(previous / r), bias])
        previous = r


# ----------------------------------------------------------------------------------------
# The generation loop


def speckle(image: TensorLike) -> float:
    """How much isolated-pixel noise an image holds: the mean squared difference from a 3x3 median.

    Each channel is compared with its median over the pixel's 3x3 neighbourhood (borders mirrored).
    A median removes a pixel that differs from its neighbours but keeps the edge between two
    patches, so speckle (salt-and-pepper colour noise) counts and painted patches and strokes
    count little.

    Parameters
    ----------
    image : array_like, shape (n_H, n_W, 3) or (1, n_H, n_W, 3)
        Values in ``[0, 1]``.

    Returns
    -------
    float
        0 for an image without isolated pixels; at most 1.
    """
    from course_utils import image_io

    pixels = image_io.as_batch(image, "image")[0]
    padded = np.pad(pixels, ((1, 1), (1, 1), (0, 0)), mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(0, 1))  # (n_H, n_W, 3, 3, 3)
    return float(np.mean((pixels - np.median(windows, axis=(-2, -1))) ** 2))


def colour_difference(image: TensorLike, reference: TensorLike, bins: int = 4) -> float:
    """How different two images' colour distributions are: the share of pixels that would have to change colour.

    Each channel is cut into ``bins`` equal intervals, so the RGB cube into ``bins**3`` boxes; the
    result is half the L1 distance between the two images' normalised box counts (their total
    variation distance): 0 for the same distribution of colours, 1 when no box is shared. Where
    the pixels lie does not matter.

    Parameters
    ----------
    image, reference : array_like, shape (n_H, n_W, 3) or (1, n_H, n_W, 3)
        Values in ``[0, 1]``; the two sizes may differ.
    bins : int, default 4
        Intervals per channel (at least 1).

    Returns
    -------
    float, in [0, 1]
    """
    from course_utils import image_io

    bins = _validate.integer(bins, "bins", 1)

    def histogram(array, name):
        pixels = image_io.as_batch(array, name)[0].reshape(-1, 3)
        box = np.minimum((pixels * bins).astype(int), bins - 1) @ np.array([bins * bins, bins, 1])
        return np.bincount(box, minlength=bins**3) / len(box)

    return float(0.5 * np.abs(histogram(image, "image") - histogram(reference, "reference")).sum())


@dataclass
class GenerationResult:
    """What :func:`generate` returns.

    Attributes
    ----------
    image : ndarray, shape (n_H, n_W, 3), float32 in [0, 1]
        The final generated image.
    history : dict of str to ndarray, each shape (n_records,)
        ``"step"``: the numbers of updates after which the costs were measured (0, the start,
        through ``iterations``); ``"total"``, ``"content"`` and ``"style"``: the costs then.
        A cost without its image (no content or no style image) is recorded as 0.
    snapshots : dict of int to ndarray, each shape (n_H, n_W, 3)
        The image after the requested numbers of updates (0 is the initial image).
    path : pathlib.Path or None
        Where the final image was saved.
    """

    image: np.ndarray
    history: dict = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)
    path: Path | None = None

    def reduction(self, cost: str = "total") -> float:
        """Fraction by which a cost fell from the start to the end: ``1 - final / initial``."""
        values = self.history[cost]
        return float(1.0 - values[-1] / values[0])


@dataclass
class _Run:
    """Everything one generation needs, prepared by :func:`_prepare`."""

    image: tf.Variable
    extractor: FeatureExtractor
    a_C: tf.Tensor
    a_S: list
    alpha: float
    beta: float
    optimizer: Any
    measure: Callable  # image -> (J, J_content, J_style), each a float


def _prepare(content_image, style_image, extractor, style_layers, alpha, beta, learning_rate, noise, seed, costs):
    """Check the arguments, choose the start image, compute the targets, build the optimizer."""
    import keras

    from course_utils import image_io

    if not isinstance(extractor, FeatureExtractor):
        raise TypeError(f"extractor must be a FeatureExtractor from vgg19_features(); got {type(extractor).__name__}")
    if content_image is None and style_image is None:
        raise ValueError("content_image and style_image cannot both be None")
    C = None if content_image is None else image_io.as_batch(content_image, "content_image")
    S = None if style_image is None else image_io.as_batch(style_image, "style_image")
    if C is not None and S is not None and C.shape != S.shape:
        raise ValueError(f"content_image and style_image must have the same shape; got {tuple(C.shape)} "
                         f"and {tuple(S.shape)} (load both with the same size=)")
    alpha = 0.0 if C is None else float(_non_negative(alpha, "alpha"))
    beta = 0.0 if S is None else float(_non_negative(beta, "beta"))
    learning_rate = _non_negative(learning_rate, "learning_rate")
    noise = _non_negative(noise, "noise")
    if style_layers is not None:
        extractor = extractor.select(style_layers)
    functions = _cost_functions(costs)

    start = _start_image(C, S, noise, seed)
    # A missing image's target is the start image's own activations, weighted by 0.
    a_C = extractor(start if C is None else C)[-1]
    a_S = list(extractor(start if S is None else S)[:-1])
    image = tf.Variable(start)
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    optimizer.build([image])  # a train_step in tf.function may not create the optimizer's variables itself

    def measure(generated):  # eager: about 25 calls a run do not repay tracing the network once more
        costs = _costs_of(functions, extractor(generated), a_C, a_S, extractor.style_layers, alpha, beta)
        J, J_content, J_style = (float(value) for value in costs)
        return J, (J_content if C is not None else 0.0), (J_style if S is not None else 0.0)

    return _Run(image, extractor, a_C, a_S, alpha, beta, optimizer, measure)


def _start_image(C, S, noise, seed):
    """The content image plus uniform noise; with one image only, smooth noise around grey.

    Smooth (an 8x8 grid of random colours, enlarged) rather than per-pixel noise, so that what the
    optimisation paints is not hidden under grain that the deep layers cannot see.
    """
    rng = np.random.default_rng(seed)
    if C is not None and S is not None:
        start = C + rng.uniform(-noise, noise, C.shape) if noise else C
    else:
        shape = (C if C is not None else S).shape
        coarse = rng.uniform(0.5 - max(noise, 0.25), 0.5 + max(noise, 0.25), (1, 8, 8, 3))
        start = tf.image.resize(coarse, shape[1:3], method="bilinear").numpy()
    return np.clip(start, 0.0, 1.0).astype(np.float32)


class _Progress:
    """One progress line per run, updated in place.

    In Jupyter it is a single output that is rewritten (so a stored notebook keeps one line per
    run); elsewhere the line is printed once, at the end.
    """

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.started, self.text = total, enabled, time.perf_counter(), ""
        self.handle, self.shown = None, 0.0
        if enabled and _in_notebook():
            from IPython.display import Pretty, display

            self.handle = display(Pretty(self._line(0, {})), display_id=True)

    def _line(self, step, costs):
        done = int(30 * step / self.total)
        values = " - ".join(f"{name} {value:.4g}" for name, value in costs.items())
        seconds = time.perf_counter() - self.started
        bar = f"{step}/{self.total} [{'=' * done}{'.' * (30 - done)}] {seconds:.0f} s"
        return f"{bar} - {values}" if values else bar

    def update(self, step: int, costs: dict) -> None:
        if not self.enabled:
            return
        self.text = self._line(step, costs)
        if self.handle is not None and (time.perf_counter() - self.shown > 0.5 or step == self.total):
            from IPython.display import Pretty

            self.handle.update(Pretty(self.text))
            self.shown = time.perf_counter()

    def close(self) -> None:
        if self.enabled and self.handle is None:
            print(self.text)


def _in_notebook() -> bool:
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _recorded_steps(iterations, record_every):
    every = max(1, iterations // 25) if record_every is None else _validate.integer(record_every, "record_every", 1)
    return set(range(0, iterations + 1, every)) | {iterations}


def generate(content_image: TensorLike | None, style_image: TensorLike | None, extractor: FeatureExtractor, *,
             iterations: int = 200, alpha: float = 10, beta: float = 40, learning_rate: float = 0.02,
             noise: float = 0.0, style_layers: Sequence[tuple[str, float]] | None = None,
             snapshot_at: Iterable[int] = (), seed: int = 0, output_path: str | os.PathLike | None = None,
             progress: bool = True, train_step: Callable | None = None,
             costs: Mapping[str, Callable] | None = None, record_every: int | None = None) -> GenerationResult:
    """Optimise the pixels of a generated image to lower ``alpha J_content + beta J_style``.

    Parameters
    ----------
    content_image : array_like, shape (1, n_H, n_W, 3) or (n_H, n_W, 3), or None
        Values in ``[0, 1]``. None: texture synthesis from the style alone (``alpha`` is
        then 0 and the start is smooth noise).
    style_image : array_like, same shape as ``content_image``, or None
        None: reconstruction from the content alone (``beta`` is 0, the start is smooth noise).
    extractor : FeatureExtractor
        From :func:`vgg19_features`.
    iterations : int, default 200
        Updates of the image (calls of ``train_step``).
    alpha, beta : float, default 10 and 40
        Weights of the content and style costs. With Adam, multiplying both by the same
        factor leaves the updates unchanged (up to float rounding where a pixel's gradient is
        almost zero): only ``beta / alpha`` matters.
    learning_rate : float, default 0.02
        Adam's step size, in pixel units (pixels lie in ``[0, 1]``).
    noise : float, default 0
        With both images the start is the content image plus uniform noise in
        ``[-noise, noise]``, clipped. With one image the start is smooth noise around grey of
        spread ``max(noise, 0.25)``.
    style_layers : list of (str, float), optional
        A subset of the extractor's style layers with their weights; default: all of them.
    snapshot_at : iterable of int, default ()
        Numbers of updates after which to keep a copy of the image.
    seed : int, default 0
        Seed of the start's noise.
    output_path : path-like, optional
        Save the final image there as PNG (folders are created).
    progress : bool, default True
        Show one progress line with the costs (updated in place in Jupyter).
    train_step : callable, optional
        The update, with the signature of :func:`train_step` (a learner's); default the
        library's, built from ``costs``.
    costs : dict of str to callable, optional
        Cost functions by name (see :func:`make_train_step`) used by the default
        ``train_step`` and to record the costs; default the library's.
    record_every : int, optional
        Measure the three costs every this many updates (default: about 25 times per run).

    Returns
    -------
    GenerationResult
    """
    from course_utils import image_io

    iterations = _validate.integer(iterations, "iterations", 1)
    if train_step is not None and not callable(train_step):
        raise TypeError(f"train_step must be a function like style.train_step; got {type(train_step).__name__}")
    snapshot_at = {_validate.integer(i, "snapshot_at entries", 0) for i in snapshot_at}
    recorded = _recorded_steps(iterations, record_every)
    run = _prepare(content_image, style_image, extractor, style_layers, alpha, beta, learning_rate, noise, seed, costs)
    step_function = train_step or (make_train_step(costs) if costs else _LIBRARY_TRAIN_STEP)

    history = {"step": [], "total": [], "content": [], "style": []}
    snapshots = {}
    bar = _Progress(iterations, progress)
    for step in range(iterations + 1):
        if step > 0:
            J = step_function(run.image, run.extractor, run.a_C, run.a_S, run.optimizer, run.alpha, run.beta)
            _check_finite(J, step)
            bar.update(step, {"cost": float(J)} | _latest(history))
        if step in recorded:
            _record(history, step, run.measure(run.image))
        if step in snapshot_at:
            snapshots[step] = run.image.numpy()[0].copy()
    bar.update(iterations, _latest(history))
    bar.close()

    image = run.image.numpy()[0]
    path = None if output_path is None else image_io.save_image(image, output_path)
    return GenerationResult(image, {k: np.array(v) for k, v in history.items()}, snapshots, path)


def _check_finite(J, step):
    value = float(J)
    if not np.isfinite(value):
        raise FloatingPointError(f"train_step returned the cost {value} at update {step}: check the costs and "
                                 "that the image is clipped to [0, 1]")


def _record(history, step, costs):
    history["step"].append(step)
    for key, value in zip(("total", "content", "style"), costs, strict=True):
        history[key].append(value)


def _latest(history):
    return {key: history[key][-1] for key in ("total", "content", "style")} if history["step"] else {}
