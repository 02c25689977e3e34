"""Solutions of notebooks 4.2 and 4.3's exercises: the triplet loss, verify and who_is_it."""

import numpy as np
import tensorflow as tf

from course_utils.face import img_to_encoding


def triplet_loss(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = (tf.convert_to_tensor(t) for t in y_pred)
    pos_dist = tf.reduce_sum(tf.square(anchor - positive), axis=-1)
    neg_dist = tf.reduce_sum(tf.square(anchor - negative), axis=-1)
    return tf.reduce_sum(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


def verify(image, identity, database, model, threshold=0.7):
    encoding = img_to_encoding(image, model)
    dist = np.linalg.norm(encoding - database[identity])
    door_open = bool(dist < threshold)
    return dist, door_open


def who_is_it(image, database, model, threshold=0.7):
    encoding = img_to_encoding(image, model)
    min_dist, identity = 100.0, None
    for name, db_enc in database.items():
        dist = np.linalg.norm(encoding - db_enc)
        if dist < min_dist:
            min_dist, identity = dist, name
    if min_dist > threshold:
        identity = None
    return min_dist, identity
