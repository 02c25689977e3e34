"""Solutions of notebooks 4.5 and 4.7's exercises: the costs of neural style transfer."""

import tensorflow as tf


def compute_content_cost(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return tf.reduce_sum(tf.square(a_C - a_G)) / (4.0 * n_H * n_W * n_C)


def gram_matrix(A):
    return tf.matmul(A, tf.transpose(A))


def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    a_S = tf.transpose(tf.reshape(a_S, [n_H * n_W, n_C]))
    a_G = tf.transpose(tf.reshape(a_G, [n_H * n_W, n_C]))
    GS, GG = gram_matrix(a_S), gram_matrix(a_G)
    return tf.reduce_sum(tf.square(GS - GG)) / (4.0 * n_C ** 2 * (n_H * n_W) ** 2)


def compute_style_cost(style_outputs, generated_outputs, style_layers):
    J_style = 0.0
    for (_, weight), a_S, a_G in zip(style_layers, style_outputs, generated_outputs, strict=True):
        J_style += weight * compute_layer_style_cost(a_S, a_G)
    return J_style
