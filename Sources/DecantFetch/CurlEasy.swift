import CCurl
import Foundation

/// Owns one libcurl easy handle (`CURL*`) and its error buffer; frees both in `deinit`.
///
/// Used only on the `CurlMulti` loop thread, which also passes `handle` to the multi handle;
/// neither leaves DecantFetch.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        CurlGlobal.initialize()
        guard let h = curl_easy_init() else { return nil }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = ccurl_easy_setopt_pointer(h, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The detailed text of the last error, or libcurl's generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    func clearError() { errorBuffer[0] = 0 }

    func set(_ option: CURLoption, _ value: Int) { _ = ccurl_easy_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: Bool) { set(option, value ? 1 : 0) }
    func set(_ option: CURLoption, offset value: Int) { _ = ccurl_easy_setopt_off(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) {
        // libcurl copies string options (CURLOPT_POSTFIELDS aside, which we never use).
        _ = value.withCString { ccurl_easy_setopt_string(handle, option, $0) }
    }
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        _ = ccurl_easy_setopt_pointer(handle, option, value)
    }
    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) {
        _ = ccurl_easy_setopt_slist(handle, option, list)
    }

    /// A POST body: libcurl copies the bytes (`CURLOPT_COPYPOSTFIELDS` after their size).
    func setPostBody(_ body: Data) {
        set(CURLOPT_POSTFIELDSIZE_LARGE, offset: body.count)
        var bytes = [UInt8](body)
        bytes.append(0)
        bytes.withUnsafeMutableBytes { _ = ccurl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
    }

    /// Runs the transfer on the calling thread (`curl_easy_perform`), outside any multi handle.
    func perform() -> CURLcode { curl_easy_perform(handle) }

    func long(_ info: CURLINFO) -> Int {
        var v = 0
        _ = ccurl_easy_getinfo_long(handle, info, &v)
        return v
    }

    func string(_ info: CURLINFO) -> String? {
        var p: UnsafeMutablePointer<CChar>?
        guard ccurl_easy_getinfo_string(handle, info, &p) == CURLE_OK, let p else { return nil }
        return String(cString: p)
    }

    func pointer(_ info: CURLINFO) -> UnsafeMutableRawPointer? {
        var p: UnsafeMutableRawPointer?
        _ = ccurl_easy_getinfo_pointer(handle, info, &p)
        return p
    }
}

/// `curl_global_init`, run once before any handle is created.
enum CurlGlobal {
    private static let done: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()

    static func initialize() { _ = done }

    /// The protocols (lower-case names) this libcurl was built with.
    static let protocols: Set<String> = {
        initialize()
        guard let info = ccurl_version_info(), var p = info.pointee.protocols else { return [] }
        var names: Set<String> = []
        while let name = p.pointee {
            names.insert(String(cString: name).lowercased())
            p += 1
        }
        return names
    }()
}
