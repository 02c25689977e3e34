"""Solutions of notebooks 1.5 (``convolutional_model``) and 2.5 (``happy_model``)."""

import keras
from keras import layers


def happy_model():
    return keras.Sequential([
        keras.Input(shape=(64, 64, 3)),
        layers.ZeroPadding2D(padding=3),
        layers.Conv2D(32, 7, strides=1),
        layers.BatchNormalization(axis=3),
        layers.ReLU(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(1, activation="sigmoid"),
    ])


def convolutional_model(input_shape):
    input_img = keras.Input(shape=input_shape)
    Z1 = layers.Conv2D(8, 4, strides=1, padding="same", kernel_initializer="he_uniform")(input_img)
    A1 = layers.ReLU()(Z1)
    P1 = layers.MaxPool2D(pool_size=8, strides=8, padding="same")(A1)
    Z2 = layers.Conv2D(16, 2, strides=1, padding="same", kernel_initializer="he_uniform")(P1)
    A2 = layers.ReLU()(Z2)
    P2 = layers.MaxPool2D(pool_size=4, strides=4, padding="same")(A2)
    F = layers.Flatten()(P2)
    outputs = layers.Dense(6, activation="softmax")(F)
    return keras.Model(inputs=input_img, outputs=outputs)
