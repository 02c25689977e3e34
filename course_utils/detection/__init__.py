"""Object detection beyond the course's YOLO post-processing (sections 3.1 and 3.2).

- :mod:`~course_utils.detection.box_math`: box arithmetic in plain numpy, written to be read: IoU,
  non-max suppression, the YOLO target volume, k-means anchors, precision/recall, mAP, drawing.
- :mod:`~course_utils.detection.detector`: the project's small YOLOv2-style network, its loss,
  training loop and shipped weights.

The course's post-processing in TensorFlow (``yolo_head`` ... ``yolo_eval``) is :mod:`course_utils.yolo`.
"""
