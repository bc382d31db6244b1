#ifndef DECANT_CCURL_SHIM_H
#define DECANT_CCURL_SHIM_H

#include <curl/curl.h>
#include <stdint.h>

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic,
   which Swift cannot call: these typed wrappers can be. */

static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode ccurl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode ccurl_easy_setopt_data_callback(CURL *h, CURLoption o, ccurl_data_callback cb) {
    return curl_easy_setopt(h, o, cb);
}

typedef int (*ccurl_debug_callback)(CURL *h, curl_infotype type, char *data, size_t size, void *userdata);
static inline CURLcode ccurl_easy_setopt_debug_callback(CURL *h, ccurl_debug_callback cb) {
    return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, cb);
}

typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *h, ccurl_xferinfo_callback cb) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb);
}

typedef int (*ccurl_sockopt_callback)(void *userdata, curl_socket_t fd, curlsocktype purpose);
static inline CURLcode ccurl_easy_setopt_sockopt_callback(CURL *h, ccurl_sockopt_callback cb) {
    return curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, cb);
}

typedef curl_socket_t (*ccurl_opensocket_callback)(void *userdata, curlsocktype purpose,
                                                   struct curl_sockaddr *address);
static inline CURLcode ccurl_easy_setopt_opensocket_callback(CURL *h, ccurl_opensocket_callback cb) {
    return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, cb);
}

static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode ccurl_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode ccurl_easy_getinfo_string(CURL *h, CURLINFO i, char **v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) {
    return curl_easy_getinfo(h, i, v);
}

static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}

/* CURLMsg holds a union; these read its parts. */
static inline CURL *ccurl_msg_easy(CURLMsg *m) { return m->easy_handle; }
static inline CURLcode ccurl_msg_result(CURLMsg *m) { return m->data.result; }
static inline int ccurl_msg_is_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }

/* curl_sockaddr holds the address curl is about to connect to (CURLOPT_OPENSOCKETFUNCTION).
   Copies the IP address into out (4 or 16 bytes) and returns its length, or 0 for other families. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>
static inline int ccurl_sockaddr_ip(const struct curl_sockaddr *a, unsigned char out[16]) {
    if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)&a->addr;
        memcpy(out, &in4->sin_addr, 4);
        return 4;
    }
    if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->addr;
        memcpy(out, &in6->sin6_addr, 16);
        return 16;
    }
    return 0;
}
/* Opens the socket curl asked for, as curl itself would. */
static inline curl_socket_t ccurl_open_socket(const struct curl_sockaddr *a) {
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}
static inline curl_version_info_data *ccurl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }
static inline curl_socket_t ccurl_socket_bad(void) { return CURL_SOCKET_BAD; }

#endif
