package main

import (
	"math/rand"
	"net"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// writePcap writes ICMP traffic: ordinary Linux pings from one host and an
// ICMP tunnel (ptunnel-like: large, high-entropy, varying echo payloads)
// from another.
func writePcap(path string, rng *rand.Rand) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return err
	}
	t := start.Add(5 * time.Minute)
	// Ordinary ping: 56-byte payload, 8-byte timestamp then 0x10, 0x11, ...
	for seq := 1; seq <= 10; seq++ {
		payload := make([]byte, 56)
		for i := 8; i < 56; i++ {
			payload[i] = byte(i + 8)
		}
		for _, reply := range []bool{false, true} {
			src, dst, typ := "10.20.0.12", "10.20.0.1", uint8(layers.ICMPv4TypeEchoRequest)
			if reply {
				src, dst, typ = dst, src, layers.ICMPv4TypeEchoReply
			}
			if err := writeICMP(w, t, src, dst, typ, 0x1c2d, uint16(seq), payload); err != nil {
				return err
			}
			t = t.Add(300 * time.Microsecond)
		}
		t = t.Add(time.Second)
	}
	// ICMP tunnel: random payloads of varying size both ways.
	t = start.Add(50 * time.Minute)
	for seq := 1; seq <= 150; seq++ {
		for _, reply := range []bool{false, true} {
			payload := make([]byte, 300+rng.Intn(700))
			rng.Read(payload)
			src, dst, typ := "10.20.0.31", "198.51.100.7", uint8(layers.ICMPv4TypeEchoRequest)
			if reply {
				src, dst, typ = dst, src, layers.ICMPv4TypeEchoReply
			}
			if err := writeICMP(w, t, src, dst, typ, 0x4242, uint16(seq), payload); err != nil {
				return err
			}
			t = t.Add(time.Duration(20+rng.Intn(80)) * time.Millisecond)
		}
	}
	return nil
}

func writeICMP(w *pcapgo.Writer, t time.Time, src, dst string, typ uint8, id, seq uint16, payload []byte) error {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
	icmp := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, icmp, gopacket.Payload(payload)); err != nil {
		return err
	}
	data := buf.Bytes()
	return w.WritePacket(gopacket.CaptureInfo{Timestamp: t, CaptureLength: len(data), Length: len(data)}, data)
}
