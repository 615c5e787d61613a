"""Search: the index over passages, statements, the saved index, the library, answers and evaluation."""
