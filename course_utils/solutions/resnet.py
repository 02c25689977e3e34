"""Solutions of notebook 2.6's exercises: the two residual blocks and ResNet-50 built from them."""

import keras
from keras import layers

random_uniform = keras.initializers.RandomUniform
glorot_uniform = keras.initializers.GlorotUniform


def identity_block(X, f, filters, training=True, initializer=random_uniform):
    F1, F2, F3 = filters
    X_shortcut = X
    X = layers.Conv2D(F1, 1, strides=1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Activation("relu")(X)
    X = layers.Conv2D(F2, f, strides=1, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Activation("relu")(X)
    X = layers.Conv2D(F3, 1, strides=1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Add()([X, X_shortcut])
    return layers.Activation("relu")(X)


def convolutional_block(X, f, filters, s=2, training=True, initializer=glorot_uniform):
    F1, F2, F3 = filters
    X_shortcut = layers.Conv2D(F3, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X_shortcut = layers.BatchNormalization(axis=3)(X_shortcut, training=training)
    X = layers.Conv2D(F1, 1, strides=s, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Activation("relu")(X)
    X = layers.Conv2D(F2, f, strides=1, padding="same", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Activation("relu")(X)
    X = layers.Conv2D(F3, 1, strides=1, padding="valid", kernel_initializer=initializer(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Add()([X, X_shortcut])
    return layers.Activation("relu")(X)


def ResNet50(input_shape=(64, 64, 3), classes=6, training=None):  # noqa: N802 - the course's name
    X_input = keras.Input(input_shape)
    X = layers.ZeroPadding2D(3)(X_input)
    X = layers.Conv2D(64, 7, strides=2, kernel_initializer=glorot_uniform(seed=0))(X)
    X = layers.BatchNormalization(axis=3)(X, training=training)
    X = layers.Activation("relu")(X)
    X = layers.MaxPooling2D(3, strides=2)(X)
    for filters, blocks, s in [([64, 64, 256], 3, 1), ([128, 128, 512], 4, 2),
                               ([256, 256, 1024], 6, 2), ([512, 512, 2048], 3, 2)]:
        X = convolutional_block(X, 3, filters, s=s, training=training)
        for _ in range(blocks - 1):
            X = identity_block(X, 3, filters, training=training)
    X = layers.AveragePooling2D(2)(X)
    X = layers.Flatten()(X)
    outputs = layers.Dense(classes, activation="softmax", kernel_initializer=glorot_uniform(seed=0))(X)
    return keras.Model(inputs=X_input, outputs=outputs)
