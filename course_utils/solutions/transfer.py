"""Solutions of notebook 2.7's exercises: the augmenter, the transfer model and its fine-tuning."""

import keras
from keras import layers
from keras.applications.mobilenet_v2 import preprocess_input

from course_utils.transfer import BASE_NAME, IMG_SIZE, load_mobilenet_base


def data_augmenter():
    data_augmentation = keras.Sequential()
    data_augmentation.add(layers.RandomFlip("horizontal"))
    data_augmentation.add(layers.RandomRotation(0.2))
    return data_augmentation


def alpaca_model(image_shape=IMG_SIZE, data_augmentation=data_augmenter(), base=None):  # noqa: B008 (the course's signature)
    input_shape = tuple(image_shape) + (3,)
    base_model = load_mobilenet_base(input_shape) if base is None else base
    base_model.trainable = False
    inputs = keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = preprocess_input(x)
    x = base_model(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


def fine_tune(model, fine_tune_at, base_learning_rate):
    base_model = model.get_layer(BASE_NAME)
    base_model.trainable = True
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    for layer in base_model.layers:
        if isinstance(layer, layers.BatchNormalization):
            layer.trainable = False
    model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.Adam(learning_rate=0.1 * base_learning_rate),
                  metrics=["accuracy"])
    return model
