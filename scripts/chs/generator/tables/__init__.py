"""Table writers: each draws its table's clean rows for a chunk, adds dirt, and writes them.

The writers run in a fixed order (see chs.generator.run.write_chunk), because they share the
chunk's clean random stream and the dirt stream: the order of the draws is part of the output.
"""
