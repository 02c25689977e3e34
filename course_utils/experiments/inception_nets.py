"""Section 2.3's experiment: small inception networks of 1, 3, 6 blocks on SIGNS.

The block itself is :func:`course_utils.inception.inception_block`.
"""

from __future__ import annotations

import keras
from keras import layers

from course_utils import _validate
from course_utils.experiments.deep_stacks import stem_block
from course_utils.inception import inception_block

__all__ = ["inception_net"]


def inception_net(input_shape=(64, 64, 3), classes=6, blocks=1, width=8, seed=0):
    """A small inception network: stem, ``blocks`` inception blocks, global pooling, softmax.

    Each block has the branches of :func:`course_utils.inception.inception_block` with
    ``width`` filters for the 1x1, 3x3 and 5x5 outputs and the pool projection (so it outputs
    ``4 * width`` channels) and ``width // 2`` filters in the 1x1 bottlenecks, followed by
    BatchNormalization (as in Inception-v2; the stem's output too). A 2x2 max-pool follows
    every second block, as GoogLeNet pools between groups of blocks.

    BatchNormalization keeps moving averages with momentum 0.9. They describe the network of
    the last few dozen updates, so train with a learning rate that decays towards the end
    (notebook 2.3 uses a cosine decay): at a constant Adam 3e-3, the last updates changed the
    weights so much that the test accuracy of some seeds fell to chance while the training loss
    was low.

    Parameters
    ----------
    input_shape : tuple of int, default (64, 64, 3)
    classes : int, default 6
    blocks : int, default 1
    width : int, default 8
    seed : int, default 0
        Seed of every initial weight (each convolution draws from its own seed derived from it).

    Returns
    -------
    keras.Model
        Named ``"inception_<blocks>"``.
    """
    blocks = _validate.integer(blocks, "blocks", minimum=1)
    width = _validate.integer(width, "width", minimum=2)
    classes = _validate.integer(classes, "classes", minimum=2)
    seed = _validate.integer(seed, "seed", minimum=0)
    inputs = keras.Input(_validate.image_shape(input_shape))
    X = layers.BatchNormalization(axis=3, momentum=0.9)(stem_block(inputs, 2 * width, seed))
    for block in range(blocks):
        X = inception_block(X, width, width // 2, width, width // 2, width, width, seed=1000 * seed + 10 * (block + 1))
        X = layers.BatchNormalization(axis=3, momentum=0.9)(X)
        if block % 2 == 1 and X.shape[1] > 2:
            X = layers.MaxPooling2D(2)(X)
    X = layers.GlobalAveragePooling2D()(X)
    outputs = layers.Dense(classes, activation="softmax",
                           kernel_initializer=keras.initializers.GlorotUniform(seed=seed))(X)
    return keras.Model(inputs, outputs, name=f"inception_{blocks}")
