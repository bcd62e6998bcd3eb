/// CRC-32C (Castagnoli), the checksum of TFRecord framing in TensorBoard event files.
///
/// Table-driven over bytes with the reflected polynomial 0x82F63B78; event files are small, so
/// one table lookup per byte is plenty.
enum CRC32C {
    /// The lookup table: the remainder of each byte value, reflected.
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 {
            crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
        }
        return crc
    }

    /// The CRC-32C of `bytes` (initial value and final XOR 0xFFFFFFFF; "123456789" gives 0xE3069283).
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The CRC-32C of `bytes`, rotated right by 15 bits plus 0xA282EAD8: the form TFRecord stores,
    /// so that checksums of data that itself holds checksums stay informative.
    static func masked(_ bytes: some Sequence<UInt8>) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
