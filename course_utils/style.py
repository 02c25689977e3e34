"""Neural style transfer (sections 4.5 and 4.7): the costs, a VGG19 feature extractor, the loop.

The four cost functions follow the course's programming assignment and are written with
TensorFlow operations only, so they run eagerly and inside ``tf.function``. The feature
extractor is the VGG19 architecture of ``keras.applications`` whose weights are chosen
explicitly (:func:`vgg19_features`):

- ``"random"`` (default, offline): untrained Gaussian weights, rescaled layer by layer so
  that every layer's activations have unit root-mean-square on a calibration image, in the
  spirit of He, Wang & Hopcroft, "A Powerful Generative Model Using Random Weights for the
  Deep Image Representation" (NeurIPS 2016). Nothing is downloaded.
- ``"imagenet"``: Keras's pretrained weights, from its cache or from the network. This is
  the only choice that may download anything, and only because the caller asked for it.
- a path to a weights file saved from the same architecture (``.weights.h5`` or ``.h5``).

:func:`generate` runs the optimisation: the generated image starts from the content image
plus noise, Adam updates its pixels, each step clips them to ``[0, 1]``, a progress bar
shows the costs, snapshots and the cost history are kept and the final image is saved.

TensorFlow is imported when this module is imported: call
``course_utils.notebook.setup(tensorflow=True)`` first to keep its logs quiet.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tensorflow as tf

from course_utils import _validate

__all__ = [
    "STYLE_LAYERS", "CONTENT_LAYER",
    "compute_content_cost", "gram_matrix", "layer_gram", "compute_layer_style_cost", "compute_style_cost",
    "total_cost", "FeatureExtractor", "vgg19_features", "GenerationResult", "generate",
]

#: The course's choice: the first convolution of each of VGG19's five blocks, 0.2 each.
STYLE_LAYERS = [("block1_conv1", 0.2), ("block2_conv1", 0.2), ("block3_conv1", 0.2),
                ("block4_conv1", 0.2), ("block5_conv1", 0.2)]
#: Layer whose activations define the content. The course uses ``block5_conv4`` with trained
#: weights; with random weights a middle layer keeps the shapes of the photo better.
CONTENT_LAYER = "block4_conv2"

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


def compute_content_cost(a_C, a_G):
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


def gram_matrix(A):
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


def layer_gram(a, normalize=True):
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


def compute_layer_style_cost(a_S, a_G):
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


def compute_style_cost(style_outputs, generated_outputs, style_layers=STYLE_LAYERS):
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
            J_layer = compute_layer_style_cost(a_S, a_G)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"style layer {name!r}: {exc}") from None
        J_style += weight * J_layer
    return J_style


def total_cost(J_content, J_style, alpha=10, beta=40):
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
# The feature extractor


@dataclass
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

    model: object
    style_layers: list
    content_layer: str
    weights: str

    def __call__(self, images):
        return self.model(preprocess(images))

    @property
    def style_layer_names(self):
        return [name for name, _ in self.style_layers]


def preprocess(images):
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


def vgg19_features(weights="random", style_layers=STYLE_LAYERS, content_layer=CONTENT_LAYER,
                   calibration_image=None, seed=0):
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

    Returns
    -------
    FeatureExtractor

    Notes
    -----
    Random weights: every convolution kernel is drawn from ``N(0, 2 / fan_in)`` (He
    initialisation) and its bias set to zero. Biases at zero make every layer positively
    homogeneous (ReLU, max pooling), so multiplying a kernel by ``c`` multiplies that layer's
    and every later layer's activations by ``c``. One forward pass on the calibration image
    measures each layer's root-mean-square activation ``r_k``; kernel ``k`` is then multiplied
    by ``r_{k-1} / r_k`` so that every layer's activations have RMS 1. The Gram matrices of
    all layers are then of the same order, so equal style-layer weights mean equal
    influence: the role of the automatic normalisation of the layer weighting factors in
    He, Wang & Hopcroft (2016).
    """
    import keras

    names, _ = _layer_weights(style_layers)
    if not isinstance(content_layer, str):
        raise TypeError(f"content_layer must be a VGG19 layer name such as 'block4_conv2'; got {content_layer!r}")
    if weights is None:
        raise ValueError('weights must be "random", "imagenet" or a path to a weights file; got None '
                         '(an untrained network without rescaling is not a useful feature extractor)')
    keras_weights = None
    path = None
    if isinstance(weights, str) and weights == "imagenet":
        keras_weights, description = "imagenet", "ImageNet-trained VGG19 (Keras)"
    elif isinstance(weights, str) and weights == "random":
        description = f"random VGG19 weights, rescaled layer by layer (seed {seed}), offline"
    elif isinstance(weights, (str, os.PathLike)):
        path = Path(weights)
        if not path.is_file():
            raise ValueError(f'weights must be "random", "imagenet" or the path of an existing weights '
                             f"file; the file {str(path)!r} does not exist")
        description = f"VGG19 weights from {path}"
    else:
        raise TypeError(f'weights must be "random", "imagenet" or a path; got {type(weights).__name__}')

    base = keras.applications.VGG19(include_top=False, weights=keras_weights, input_shape=(None, None, 3))
    available = [layer.name for layer in base.layers]
    for name in [*names, content_layer]:
        if name not in available:
            conv_names = [n for n in available if "conv" in n]
            raise ValueError(f"layer {name!r} is not a VGG19 layer; choose from {conv_names}")
    if path is not None:
        try:
            base.load_weights(str(path))
        except Exception as exc:
            raise ValueError(f"weights file {str(path)!r} could not be loaded into VGG19's convolutional "
                             f"layers: {type(exc).__name__}: {exc}") from None
    elif keras_weights is None:
        _randomise(base, _calibration(calibration_image), seed)
    base.trainable = False
    outputs = [base.get_layer(name).output for name in [*names, content_layer]]
    model = keras.Model(base.input, outputs, name="vgg19_features")
    model.trainable = False
    return FeatureExtractor(model, list(style_layers), content_layer, description)


def _calibration(image):
    if image is None:
        from course_utils import image_io

        return image_io.sample_photo("chelsea", size=96)
    from course_utils import image_io

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


def roughness(images):
    """Mean squared difference between neighbouring pixels (a smooth total variation).

    Parameters
    ----------
    images : tf.Tensor, shape (m, n_H, n_W, n_C)

    Returns
    -------
    tf.Tensor, shape ()
        ``mean((x[:, 1:] - x[:, :-1])**2) + mean((x[:, :, 1:] - x[:, :, :-1])**2)``.
    """
    images = _as_tensor(images, "images", 4, "(m, n_H, n_W, n_C)")
    return (tf.reduce_mean(tf.square(images[:, 1:] - images[:, :-1]))
            + tf.reduce_mean(tf.square(images[:, :, 1:] - images[:, :, :-1])))


@dataclass
class GenerationResult:
    """What :func:`generate` returns.

    Attributes
    ----------
    image : ndarray, shape (n_H, n_W, 3), float32 in [0, 1]
        The final generated image.
    history : dict of str to ndarray, each shape (iterations + 1,)
        ``"total"``, ``"content"`` and ``"style"`` costs before each update and after the last.
    snapshots : dict of int to ndarray, each shape (n_H, n_W, 3)
        The image after the requested numbers of updates (0 is the initial image).
    path : pathlib.Path or None
        Where the final image was saved.
    """

    image: np.ndarray
    history: dict = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)
    path: Path | None = None

    def reduction(self, cost="total"):
        """Fraction by which a cost fell: ``1 - final / initial``."""
        values = self.history[cost]
        return float(1.0 - values[-1] / values[0])


def generate(content_image, style_image, extractor, *, iterations=200, alpha=10, beta=40,
             learning_rate=0.02, noise=0.05, smoothness=50.0, style_layers=None, snapshot_at=(), seed=0,
             output_path=None, progress=True):
    """Optimise the pixels of a generated image to lower ``alpha J_content + beta J_style``.

    Parameters
    ----------
    content_image : array_like, shape (1, n_H, n_W, 3) or (n_H, n_W, 3), or None
        Values in ``[0, 1]``. None: texture synthesis from the style alone (``alpha`` is
        then ignored and the start is noise).
    style_image : array_like, same shape as ``content_image``, or None
        None: reconstruction from the content alone (``beta`` ignored, the start is noise).
    extractor : FeatureExtractor
        From :func:`vgg19_features`.
    iterations : int, default 200
        Adam updates.
    alpha, beta : float, default 10 and 40
        Weights of the content and style costs.
    learning_rate : float, default 0.02
        Adam's step size, in pixel units (pixels lie in ``[0, 1]``).
    noise : float, default 0.05
        The start is the content image plus uniform noise in ``[-noise, noise]``, clipped.
        With only one of the two images the start is uniform noise around grey (spread at
        least 0.25), so that the image is built from its features alone.
    smoothness : float, default 50
        Weight of :func:`roughness` added to the optimised loss (not to the recorded
        costs). Random-weight features let pixel-level colour noise match the style's Gram
        matrices; a little smoothing keeps the result readable. 0 gives the course's plain
        objective.
    style_layers : list of (str, float), optional
        A subset of the extractor's style layers with their weights; default: all of them.
    snapshot_at : iterable of int, default ()
        Numbers of updates after which to keep a copy of the image.
    seed : int, default 0
        Seed of the initial noise.
    output_path : path-like, optional
        Save the final image there as PNG (folders are created).
    progress : bool, default True
        Show a Keras progress bar with the costs.

    Returns
    -------
    GenerationResult
    """
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
    iterations = _validate.integer(iterations, "iterations", 1)
    alpha = 0.0 if C is None else _non_negative(alpha, "alpha")
    beta = 0.0 if S is None else _non_negative(beta, "beta")
    learning_rate = _non_negative(learning_rate, "learning_rate")
    noise = _non_negative(noise, "noise")
    smoothness = _non_negative(smoothness, "smoothness")
    if style_layers is None:
        style_layers = extractor.style_layers
    names, _ = _layer_weights(style_layers)
    unknown = [n for n in names if n not in extractor.style_layer_names]
    if unknown:
        raise ValueError(f"style_layers {unknown} are not among the extractor's style layers "
                         f"{extractor.style_layer_names}")
    index = [extractor.style_layer_names.index(n) for n in names]
    snapshot_at = {_validate.integer(i, "snapshot_at entries", 0) for i in snapshot_at}

    reference = C if C is not None else S
    rng = np.random.default_rng(seed)
    if C is not None and S is not None:
        start, spread = C, noise
    else:
        start, spread = np.full(reference.shape, 0.5, np.float32), max(noise, 0.25)
    start = np.clip(start + rng.uniform(-spread, spread, reference.shape), 0.0, 1.0).astype(np.float32)
    generated = tf.Variable(start)

    zero = tf.constant(0.0)
    a_C = extractor(C)[-1] if C is not None else None
    a_S = [extractor(S)[i] for i in index] if S is not None else None

    def costs(image):
        outputs = extractor(image)
        J_content = compute_content_cost(a_C, outputs[-1]) if a_C is not None else zero
        J_style = (compute_style_cost(a_S, [outputs[i] for i in index], style_layers)
                   if a_S is not None else zero)
        return total_cost(J_content, J_style, alpha, beta), J_content, J_style

    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)

    @tf.function
    def train_step():
        with tf.GradientTape() as tape:
            J, J_content, J_style = costs(generated)
            loss = J + smoothness * roughness(generated) if smoothness else J
        optimizer.apply_gradients([(tape.gradient(loss, generated), generated)])
        generated.assign(tf.clip_by_value(generated, 0.0, 1.0))
        return J, J_content, J_style

    history = {"total": [], "content": [], "style": []}
    snapshots = {0: start[0].copy()} if 0 in snapshot_at else {}
    every = max(1, iterations // 10)  # ten updates: a notebook keeps every line it prints
    bar = keras.utils.Progbar(iterations, stateful_metrics=["total", "content", "style"]) if progress else None

    def record(values):
        for key, value in zip(("total", "content", "style"), values, strict=True):
            history[key].append(float(value))

    for step in range(1, iterations + 1):
        record(train_step())  # the costs of the image before this update
        if step in snapshot_at:
            snapshots[step] = generated.numpy()[0].copy()
        if bar is not None and (step % every == 0 or step == iterations):
            bar.update(step, [(k, v[-1]) for k, v in history.items()])
    record(tf.function(costs)(generated))
    image = generated.numpy()[0]
    path = None if output_path is None else image_io.save_image(image, output_path)
    return GenerationResult(image, {k: np.array(v) for k, v in history.items()}, snapshots, path)
