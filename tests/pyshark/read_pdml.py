"""Reads a PDML document the way pyshark reads tshark's output (its own stream splitter and
packet parser) and prints what a pyshark user sees, one line per packet:
number, sniff time, length, layer names, then LAYER.FIELD=value for each field asked for."""
import sys

from pyshark.tshark.output_parser.tshark_xml import _extract_tag_from_xml_data, packet_from_xml_packet

data = open(sys.argv[1], "rb").read()
asked = [a.split(":", 1) for a in sys.argv[2:]]
while True:
    tag, data = _extract_tag_from_xml_data(data, tag_name=b"packet")
    if tag is None:
        break
    p = packet_from_xml_packet(tag)
    cells = [p.number, p.sniff_time.isoformat(), p.length, ",".join(l.layer_name for l in p.layers)]
    for layer, field in asked:
        if hasattr(p, layer):
            cells.append(f"{layer}.{field}={p[layer].get_field_value(field)}")
    print("\t".join(str(c) for c in cells))
