import Foundation

/// File operations with the durability and shredding key files need: atomic replacement with
/// fsync, files created mode 0600, and shredding (overwrite with random bytes, then delete).
/// The client library keeps its session file with these too.
public enum SecureFile {
    /// Replaces the file at `path` with `data`: write a temporary file, fsync it, rename it into
    /// place, fsync the directory, then overwrite the old content (through a descriptor opened
    /// before the rename) with random bytes and fsync that too.
    public static func replace(at path: String, with data: Data) throws {
        let temporary = path + ".tmp"
        try write(data, to: temporary)
        let old = open(path, O_RDWR)
        defer { if old >= 0 { close(old) } }
        guard rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw StoreError(code: .io, message: "could not move the new key file into place at \(path) (errno \(error)); check the folder's permissions")
        }
        syncDirectory(of: path)
        if old >= 0 {
            overwrite(descriptor: old)
        }
    }

    /// Writes `data` to a new file at `path` and fsyncs it.
    public static func write(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(code: .io, message: "could not create \(path) (errno \(errno)); check the folder exists and is writable")
        }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var done = 0
            while done < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if count <= 0 { return false }
                done += count
            }
            return true
        }
        guard written, fsync(descriptor) == 0 else {
            throw StoreError(code: .io, message: "could not write \(path) (errno \(errno)); check free space")
        }
    }

    /// Overwrites the file at `path` with random bytes, fsyncs and deletes it. Missing files
    /// are fine.
    public static func shred(at path: String) {
        let descriptor = open(path, O_RDWR)
        if descriptor >= 0 {
            overwrite(descriptor: descriptor)
            close(descriptor)
        }
        unlink(path)
        syncDirectory(of: path)
    }

    /// Overwrites every byte of an open file with random bytes and fsyncs it.
    static func overwrite(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return }
        let size = Int(info.st_size)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var offset = 0
        while offset < size {
            let count = min(chunk.count, size - offset)
            chunk.withUnsafeMutableBytes { ClientCrypto.fillRandom(UnsafeMutableRawBufferPointer(rebasing: $0[0..<count])) }
            let written = chunk.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, count, off_t(offset)) }
            if written <= 0 { break }
            offset += written
        }
        fsync(descriptor)
    }

    /// Deletes a file (missing is fine).
    public static func remove(at path: String) {
        unlink(path)
    }

    /// fsyncs the directory holding `path`, so a rename or unlink is durable.
    public static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Whether a file exists.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The size of a file, or `nil` if it does not exist.
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// The first `count` bytes of a file.
    static func prefix(_ path: String, count: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: count) else { return nil }
        return [UInt8](data)
    }
}
